package io.eco2.engine.launcher;

/**
 * The launcher's arguments: {@code [--config PATH] [--role all|api|worker] [--help] [--version]}; both
 * {@code --key value} and {@code --key=value} forms.
 *
 * @param configPath the configuration file, or null for the default lookup
 * @param role the role override, or null to keep the configured one
 * @param help whether usage was asked for
 * @param version whether the version was asked for
 */
record CommandLine(String configPath, String role, boolean help, boolean version) {

  static final String USAGE = "usage: java -jar eco2-pipeline.jar [--config PATH] [--role all|api|worker] [--version]";

  /** @throws IllegalArgumentException naming the argument at fault */
  static CommandLine parse(String[] args) {
    String config = null;
    String role = null;
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--help", "-h" -> help = true;
        case "--version", "-V" -> version = true;
        case "--config", "--role" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            value = args[++i];
          }
          if (arg.equals("--config")) {
            config = value;
          } else {
            if (!value.matches("all|api|worker")) {
              throw new IllegalArgumentException("--role must be all, api or worker, got '" + value + "'");
            }
            role = value;
          }
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    return new CommandLine(config, role, help, version);
  }
}
