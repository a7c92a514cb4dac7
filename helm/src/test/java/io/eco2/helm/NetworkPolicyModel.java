package io.eco2.helm;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * NetworkPolicy semantics as a CNI enforces them, over a model of endpoints: a pod selected by a policy of a
 * direction allows in that direction only what one of those policies' rules admits (peers and ports), a pod no
 * policy selects allows everything; a connection needs the sender's egress and the receiver's ingress.
 * Only matchLabels selectors are modelled (the chart uses no matchExpressions; a test checks that).
 */
final class NetworkPolicyModel {

  /** A place traffic comes from or goes to: a pod (labels, namespace, named ports) or an address outside. */
  record Endpoint(String name, String namespace, Map<String, String> labels, Map<String, String> namespaceLabels,
                  Map<String, Integer> namedPorts, String ip) {

    static Endpoint pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports) {
      return new Endpoint(name, namespace, labels, Map.of("kubernetes.io/metadata.name", namespace), ports, "10.1.0." + Math.abs(name.hashCode() % 250));
    }

    static Endpoint outside(String name, String ip) {
      return new Endpoint(name, null, Map.of(), Map.of(), Map.of(), ip);
    }
  }

  private final String namespace;
  private final List<NetworkPolicy> policies;

  NetworkPolicyModel(String namespace, List<NetworkPolicy> policies) {
    this.namespace = namespace;
    this.policies = policies;
  }

  /** True when {@code from} may open a connection to {@code to} on {@code port}/{@code protocol}. */
  boolean allows(Endpoint from, Endpoint to, int port, String protocol) {
    return egressAllows(from, to, port, protocol) && ingressAllows(from, to, port, protocol);
  }

  private boolean egressAllows(Endpoint from, Endpoint to, int port, String protocol) {
    return direction(from, "Egress", (p, ok) -> p.getSpec().getEgress().stream().anyMatch(r ->
      peers(r.getTo(), to) && ports(r.getPorts(), to, port, protocol)));
  }

  private boolean ingressAllows(Endpoint from, Endpoint to, int port, String protocol) {
    return direction(to, "Ingress", (p, ok) -> p.getSpec().getIngress().stream().anyMatch(r ->
      peers(r.getFrom(), from) && ports(r.getPorts(), to, port, protocol)));
  }

  private boolean direction(Endpoint pod, String type, BiPredicate<NetworkPolicy, Boolean> admits) {
    if (!namespace.equals(pod.namespace())) {
      return true; // outside the release's namespace: not governed by its policies
    }
    List<NetworkPolicy> selecting = policies.stream()
      .filter(p -> p.getSpec().getPolicyTypes().contains(type) && matches(p.getSpec().getPodSelector(), pod.labels()))
      .toList();
    return selecting.isEmpty() || selecting.stream().anyMatch(p -> admits.test(p, true));
  }

  private boolean peers(List<NetworkPolicyPeer> peers, Endpoint other) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    return peers.stream().anyMatch(peer -> peer(peer, other));
  }

  private boolean peer(NetworkPolicyPeer peer, Endpoint other) {
    if (peer.getIpBlock() != null) {
      return other.namespace() == null && inBlock(peer.getIpBlock(), other.ip());
    }
    if (other.namespace() == null) {
      return false; // pod selectors never match addresses outside the cluster
    }
    boolean nsOk = peer.getNamespaceSelector() == null ? namespace.equals(other.namespace())
      : matches(peer.getNamespaceSelector(), other.namespaceLabels());
    boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), other.labels());
    return nsOk && podOk;
  }

  private static boolean ports(List<NetworkPolicyPort> ports, Endpoint to, int port, String protocol) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    return ports.stream().anyMatch(p -> Objects.requireNonNullElse(p.getProtocol(), "TCP").equals(protocol) && portMatches(p.getPort(), to, port));
  }

  private static boolean portMatches(IntOrString spec, Endpoint to, int port) {
    if (spec == null) {
      return true;
    }
    if (spec.getIntVal() != null) {
      return spec.getIntVal() == port;
    }
    Integer named = to.namedPorts().get(spec.getStrVal());
    return named != null && named == port;
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      throw new AssertionError("matchExpressions are not modelled: " + selector);
    }
    Map<String, String> want = Objects.requireNonNullElse(selector.getMatchLabels(), Map.of());
    return labels.entrySet().containsAll(want.entrySet());
  }

  private static boolean inBlock(IPBlock block, String ip) {
    if (inCidr(block.getCidr(), ip)) {
      return block.getExcept() == null || block.getExcept().stream().noneMatch(e -> inCidr(e, ip));
    }
    return false;
  }

  private static boolean inCidr(String cidr, String ip) {
    try {
      String[] parts = cidr.split("/");
      byte[] net = InetAddress.getByName(parts[0]).getAddress();
      byte[] addr = InetAddress.getByName(ip).getAddress();
      int bits = Integer.parseInt(parts[1]);
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
