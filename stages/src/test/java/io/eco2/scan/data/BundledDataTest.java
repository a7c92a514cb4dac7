package io.eco2.scan.data;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundledDataTest {

  private final Taxonomy taxonomy = Taxonomy.bundled();

  @Test
  void taxonomyHasTheExpectedMajorCategories() {
    assertThat(taxonomy.majors()).contains("재활용폐기물", "일반폐기물", "음식물류", "대형폐기물", "유해폐기물", "전자제품");
    assertThat(taxonomy.middles("재활용폐기물")).contains("플라스틱", "종이", "유리", "금속캔", "비닐", "스티로폼", "의류");
    assertThat(taxonomy.minors("재활용폐기물", "종이")).contains("종이상자", "우유팩");
  }

  @Test
  void atLeastTenRuleFilesLoad() {
    assertThat(RuleBook.loadBundled(taxonomy).size()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void everyRuleCategoryExistsInTheTaxonomy() {
    for (Category c : RuleBook.loadBundled(taxonomy).categories()) {
      assertThat(taxonomy.contains(c.major(), c.middle())).as(c.label()).isTrue();
      if (c.minor() != null) {
        assertThat(taxonomy.minors(c.major(), c.middle())).as(c.label()).contains(c.minor());
      }
    }
  }

  @Test
  void everyRuleFileOnDiskIsListedInTheIndex() throws Exception {
    URL index = getClass().getClassLoader().getResource("eco2/rules/index.json");
    Path dir = Path.of(index.toURI()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("index.json")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(BundledResources.json("rules/index.json").getJsonArray("rules").getList());
    }
  }

  @Test
  void everyRuleHasThreeToFiveSteps() {
    RuleBook book = RuleBook.loadBundled(taxonomy);
    for (Category c : book.categories()) {
      assertThat(book.lookup(c).getJsonArray("steps").size()).as(c.label()).isBetween(3, 5);
    }
  }

  @Test
  void buildingWasteDeliberatelyHasNoRule() {
    assertThat(taxonomy.contains("대형폐기물", "건축폐자재")).isTrue();
    assertThat(RuleBook.loadBundled(taxonomy).lookup(new Category("대형폐기물", "건축폐자재", null))).isNull();
  }

  @Test
  void minorRuleWinsOverItsMiddleRule() {
    RuleBook book = RuleBook.loadBundled(taxonomy);
    assertThat(book.lookup(new Category("재활용폐기물", "플라스틱", "페트병")).getString("id")).isEqualTo("pet");
    assertThat(book.lookup(new Category("재활용폐기물", "플라스틱", "플라스틱 용기")).getString("id")).isEqualTo("plastic");
    assertThat(book.lookup(new Category("재활용폐기물", "종이", "종이상자")).getString("id")).isEqualTo("paper");
  }

  @Test
  void atLeastEightCharactersAllMatchTaxonomyCategories() {
    CharacterCatalog catalog = CharacterCatalog.loadBundled();
    assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(8);
    catalog.all().forEach(c -> assertThat(taxonomy.contains(c.match().major(), c.match().middle())).as(c.name()).isTrue());
  }

  @Test
  void characterForTheExactMinorWinsOverTheGeneralOne() {
    CharacterCatalog catalog = CharacterCatalog.loadBundled();
    assertThat(catalog.match(new Category("재활용폐기물", "종이", "우유팩")).name()).isEqualTo("팩키");
    assertThat(catalog.match(new Category("재활용폐기물", "종이", "신문지")).name()).isEqualTo("페이피");
  }

  @Test
  void malformedTaxonomyIsRejectedNamingTheField() {
    JsonObject bad = new JsonObject("{\"categories\": [{\"major\": \"x\", \"middles\": [{\"middle\": 3}]}], \"situation_tags\": []}");
    assertThatThrownBy(() -> Taxonomy.parse("t.json", bad))
      .hasMessageStartingWith("t.json: categories[0].middles[0].middle: ");
  }
}
