package io.eco2.scan.data;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaxonomySynonymsTest {

  private final Taxonomy taxonomy = Taxonomy.bundled();
  private final TaxonomySynonyms synonyms = TaxonomySynonyms.loadBundled(taxonomy);

  @Test
  void aMiddleSynonymMapsUnderItsMajor() {
    assertThat(synonyms.resolve("재활용폐기물", "금속", null)).isEqualTo(new Category("재활용폐기물", "금속캔", null));
    assertThat(synonyms.resolve("유해폐기물", "배터리", null)).isEqualTo(new Category("유해폐기물", "폐건전지", null));
  }

  @Test
  void aMajorSynonymMapsAndKeepsAValidMiddle() {
    assertThat(synonyms.resolve("음식물폐기물", null, null)).isEqualTo(new Category("음식물류", null, null));
    assertThat(synonyms.resolve("음식물폐기물", "음식물쓰레기", "과일 껍질")).isEqualTo(new Category("음식물류", "음식물쓰레기", "과일 껍질"));
  }

  @Test
  void otherMapsOnlyWhereTheMajorSaysWhich() {
    assertThat(synonyms.resolve("음식물류", "기타", null)).isEqualTo(new Category("음식물류", "음식물쓰레기", null));
    assertThat(synonyms.resolve("일반폐기물", "기타", null)).isEqualTo(new Category("일반폐기물", "일반쓰레기", null));
    assertThat(synonyms.resolve("재활용폐기물", "기타", null)).isNull();
  }

  @Test
  void anUnknownMajorIsDecidedByAMiddleThatBelongsToExactlyOneMajor() {
    assertThat(synonyms.resolve("생활폐기물", "폐형광등", null)).isEqualTo(new Category("유해폐기물", "폐형광등", null));
    assertThat(synonyms.resolve("생활폐기물", "금속", null)).isEqualTo(new Category("재활용폐기물", "금속캔", null));
    assertThat(synonyms.resolve("생활폐기물", "가전", null)).as("대형가전 or 소형가전").isNull();
    assertThat(synonyms.resolve("생활폐기물", "기타", null)).isNull();
    assertThat(synonyms.resolve("생활폐기물", null, null)).isNull();
  }

  @Test
  void aKnownMajorWithAnotherMajorsMiddleIsNotGuessed() {
    assertThat(synonyms.resolve("재활용폐기물", "폐건전지", null)).isNull();
  }

  @Test
  void aListedMinorNamedAsTheMiddleFindsItsMiddleAndBecomesTheMinor() {
    assertThat(synonyms.resolve("재활용폐기물", "페트병", null)).isEqualTo(new Category("재활용폐기물", "플라스틱", "페트병"));
    assertThat(synonyms.resolve("재활용폐기물", "우유팩", "멸균팩")).isEqualTo(new Category("재활용폐기물", "종이", "멸균팩"));
  }

  @Test
  void namesAreComparedWithoutWhitespace() {
    assertThat(synonyms.resolve("음식물 폐기물", "음식물 쓰레기", null)).isEqualTo(new Category("음식물류", "음식물쓰레기", null));
    assertThat(synonyms.resolve("재활용 폐기물", "금속 캔", null)).isEqualTo(new Category("재활용폐기물", "금속캔", null));
  }

  @Test
  void everyBundledEntryResolvesInsideTheTaxonomy() {
    JsonObject table = BundledResources.json(TaxonomySynonyms.FILE);
    for (String name : table.getJsonObject("majors").fieldNames()) {
      assertThat(taxonomy.contains(synonyms.resolve(name, null, null).major(), null)).as(name).isTrue();
    }
    JsonObject middles = table.getJsonObject("middles");
    for (String major : middles.fieldNames()) {
      for (String name : middles.getJsonObject(major).fieldNames()) {
        Category c = synonyms.resolve(major, name, null);
        assertThat(taxonomy.contains(c.major(), c.middle())).as(major + " > " + name).isTrue();
      }
    }
  }

  @Test
  void anEntryOutsideTheTaxonomyFailsNamingIt() {
    JsonObject json = new JsonObject().put("majors", new JsonObject())
      .put("middles", new JsonObject().put("재활용폐기물", new JsonObject().put("금속", "고철캔")));
    assertThatThrownBy(() -> TaxonomySynonyms.parse("syn.json", json, taxonomy))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("syn.json.middles.재활용폐기물.금속").hasMessageContaining("고철캔");
  }

  @Test
  void anEntryTheTaxonomyAlreadyAnswersFailsNamingIt() {
    JsonObject json = new JsonObject().put("majors", new JsonObject())
      .put("middles", new JsonObject().put("재활용폐기물", new JsonObject().put("페트병", "플라스틱")));
    assertThatThrownBy(() -> TaxonomySynonyms.parse("syn.json", json, taxonomy))
      .hasMessageContaining("syn.json.middles.재활용폐기물.페트병").hasMessageContaining("remove the entry");
  }
}
