package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.kernel.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule of free text, and its one-line form for a comment or a reason. */
class FreeTextTests {

  @Test
  void optionalLine_whenTheTextHasALineBreak_thenRefusedNamingTheField() {
    for (String twoLines :
        List.of("fine\nstage 2  carol  APPROVE", "fine\r\ncarol", "fine\rcarol", "\nfine")) {
      assertThatThrownBy(() -> FreeText.optionalLine("comment", twoLines, 1000))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("comment: must be one line (no line break)");
    }
    assertThatThrownBy(() -> FreeText.requiredLine("reason", "done\nearly", 1000))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("reason: must be one line (no line break)");
  }

  @Test
  void optionalLine_whenTheTextIsOneLine_thenTakenAsItIs() {
    assertThat(FreeText.optionalLine("comment", "fine, with a tab\tand  spaces", 1000))
        .isEqualTo("fine, with a tab\tand  spaces");
    assertThat(FreeText.optionalLine("comment", "  ", 1000)).isNull();
    assertThat(FreeText.optionalLine("comment", null, 1000)).isNull();
  }

  @Test
  void anyText_whenItHasTheOtherLineBreaksOrControls_thenRefusedAsBefore() {
    for (String forged : List.of("a\u2028b", "a\u2029b", "a\u0085b", "a\u000Bb", "a\u202Eb")) {
      assertThatThrownBy(() -> FreeText.optionalLine("comment", forged, 1000))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> FreeText.required("justification", forged, 1000))
          .isInstanceOf(InvalidInputException.class);
    }
    assertThat(FreeText.required("justification", "two\nlines keep their break", 1000))
        .contains("\n");
  }
}
