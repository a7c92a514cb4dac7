package io.eco2.helm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code values.schema.json} refuses bad values before anything renders, with a message naming the value at
 * fault (Helm applies the schema on install, upgrade, lint and template alike).
 */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
    "keda.trigger, grpc, trigger",
    "log.format, xml, format",
    "log.jobLevel, LOUD, jobLevel",
    "service.port, 70000, port",
    "config.mode, embedded, mode",
    "config.role, api, role",
    "api.autoscaling.memoryUtilization, 150, memoryUtilization",
    "keda.minReplicaCount, -1, minReplicaCount",
    "image.pullPolicy, Sometimes, pullPolicy",
    "secrets.redisUrl, http://redis:6379, redisUrl",
    "replicas, 3, replicas",
    "networkPolicy.kedaNamespace, Not_A_Namespace, kedaNamespace",
  })
  void aBadValueIsRefusedNamingIt(String key, String value, String named) {
    Map<String, Object> set = RenderedChart.set(key, value);
    assertThatThrownBy(() -> RenderedChart.render(null, set))
      .hasMessageContaining("values don't meet the specifications of the schema")
      .hasMessageContaining(named);
  }
}
