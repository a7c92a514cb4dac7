package io.eco2.helm;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The helm test Pod is a test hook that submits a scan and waits for done; NOTES.txt tells what was installed. */
class ChartHooksAndNotesTest {

  @Test
  void theTestPodIsAHelmTestHookThatWaitsForDone() {
    Map<String, Object> object = RenderedChart.render(null).all("Pod").stream().findFirst().orElseThrow();
    Pod pod = (Pod) StrictBinding.bind(object);
    String hook = RenderedChart.RENDERED_HOOK.substring(0, RenderedChart.RENDERED_HOOK.length() - 1);
    assertThat(pod.getMetadata().getAnnotations()).containsEntry(hook, "test");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    String script = String.join("\n", ChartObjects.only(pod.getSpec()).getArgs());
    assertThat(script).contains("/api/v1/scan").contains("event: done");
    assertThat(ChartObjects.only(pod.getSpec()).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("ECO2_API_URL");
      assertThat(e.getValue()).isEqualTo("http://" + ChartObjects.API + ":8080");
    });
  }

  @Test
  void notesNameTheApiServiceTheTestAndTheScaledObject() {
    String notes = new Helm(RenderedChart.CHART).install().withName(RenderedChart.RELEASE).withNamespace(RenderedChart.NAMESPACE)
      .withKubeVersion(RenderedChart.KUBE_VERSION).clientOnly().dryRun().withDryRunOption(DryRun.CLIENT).call().getOutput();
    assertThat(notes).contains("NOTES:").contains(ChartObjects.API + "." + RenderedChart.NAMESPACE + ".svc:8080")
      .contains("helm test " + RenderedChart.RELEASE).contains("scaledobject " + ChartObjects.WORKER);
  }
}
