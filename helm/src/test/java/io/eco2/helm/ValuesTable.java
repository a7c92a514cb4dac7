package io.eco2.helm;

import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The README's table of chart values, generated from {@code values.yaml}: a key preceded by a {@code # --}
 * comment (continued by the {@code #} lines after it) is a row, with its dotted path, its default (the YAML
 * value, compact) and the comment. Keys without such a comment are parts of a documented key's default.
 */
final class ValuesTable {

  static final String BEGIN = "<!-- values-table:begin (generated from helm/eco2-pipeline/values.yaml by ValuesTableTest: do not edit) -->";
  static final String END = "<!-- values-table:end -->";

  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(.*)$");

  private ValuesTable() {
  }

  /** A documented value. */
  record Row(String key, Object defaultValue, String description) {
  }

  /** The documented values of {@code valuesYaml}, in file order. */
  static List<Row> rows(String valuesYaml) {
    Map<String, Object> values = new Yaml().load(valuesYaml);
    List<Row> rows = new ArrayList<>();
    List<String> path = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    StringBuilder pending = null;
    for (String line : valuesYaml.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("# --")) {
        pending = new StringBuilder(trimmed.substring(4).strip());
        continue;
      }
      if (trimmed.startsWith("#")) {
        if (pending != null) {
          pending.append(' ').append(trimmed.substring(1).strip());
        }
        continue;
      }
      Matcher m = KEY.matcher(line);
      if (!m.matches() || trimmed.startsWith("-")) {
        pending = null;
        continue;
      }
      int indent = m.group(1).length();
      while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
        indents.remove(indents.size() - 1);
        path.remove(path.size() - 1);
      }
      indents.add(indent);
      path.add(m.group(2));
      if (pending != null) {
        String key = String.join(".", path);
        rows.add(new Row(key, lookup(values, path), pending.toString()));
        pending = null;
      }
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private static Object lookup(Map<String, Object> values, List<String> path) {
    Object v = values;
    for (String p : path) {
      v = ((Map<String, Object>) v).get(p);
    }
    return v;
  }

  /** The Markdown table, between its markers. */
  static String markdown(String valuesYaml) {
    StringBuilder out = new StringBuilder(BEGIN).append("\n\n| value | default | meaning |\n|---|---|---|\n");
    for (Row r : rows(valuesYaml)) {
      out.append("| `").append(r.key()).append("` | ").append(cell(compact(r.defaultValue()))).append(" | ")
        .append(r.description().replace("|", "\\|")).append(" |\n");
    }
    return out.append('\n').append(END).toString();
  }

  private static String cell(String value) {
    return value.isEmpty() ? "" : "`" + value.replace("|", "\\|") + "`";
  }

  /** A value as one short line: strings bare (empty as ""), maps and lists in YAML flow style. */
  static String compact(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return s.isEmpty() ? "\"\"" : s;
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> e.getKey() + ": " + compact(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ValuesTable::compact).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(value);
  }

  /** {@code readme} with its table replaced by the one generated from {@code valuesYaml}. */
  static String updated(String readme, String valuesYaml) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("README.md has no values table markers (" + BEGIN + " … " + END + ")");
    }
    return readme.substring(0, begin) + markdown(valuesYaml) + readme.substring(end + END.length());
  }
}
