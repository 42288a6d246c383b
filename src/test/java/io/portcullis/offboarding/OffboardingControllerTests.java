package io.portcullis.offboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.portcullis.kernel.Caller;
import io.portcullis.support.ApiSlice;
import io.portcullis.support.ApiSliceTest;
import io.portcullis.support.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * What the offboardings' controller refuses before anything reaches a service: an HR system's
 * {@code effectiveAt} that is not ISO-8601 text with its offset (digits as text or as a number had
 * started the offboarding now: issue 24, finding 12), and a cancel that carries a field. Each is a
 * 400 problem that names the field, and nothing is offboarded. At the door, as the HR system calls:
 * {@code e2e/ApiErrorsTest}.
 */
@ApiSliceTest
class OffboardingControllerTests {

  static final Caller HR = ApiSlice.caller("hr-system", Set.of(Caller.Role.HR), "hr-systems");
  static final String ASK =
      "{\"username\":\"lena\",\"reason\":\"x\",\"hrReference\":\"HR-1\",\"effectiveAt\":";

  @Autowired MockMvc mvc;
  @Autowired Offboardings offboardings;
  @Autowired OffboardingResolutions resolutions;

  @Test
  void anEffectiveAtThatIsNoInstantWithItsOffsetIsRefusedAndNothingStarts() {
    ApiSlice slice = new ApiSlice(mvc);
    List<String> wrong = new ArrayList<>();
    for (String effectiveAt :
        List.of(
            "\"1700000000\"", "1700000000", "\"2030-01-01T09:00:00\"", "\"next monday\"", "\"\"")) {
      wrong.addAll(
          Problems.check(
              "effectiveAt " + effectiveAt,
              slice.send(HR, ApiSlice.json("POST", "/api/offboardings", ASK + effectiveAt + "}")),
              400,
              "effectiveAt"));
    }
    assertThat(wrong).isEmpty();
    verifyNoInteractions(offboardings);
  }

  @Test
  void aCancelCarriesNoField() {
    var answer =
        new ApiSlice(mvc)
            .send(
                HR,
                ApiSlice.json(
                    "POST",
                    "/api/offboardings/00000000-0000-0000-0000-000000000000/cancel",
                    "{\"force\":true}"));
    assertThat(Problems.check("unknown field in an offboarding's cancel", answer, 400, "force"))
        .isEmpty();
    verifyNoInteractions(offboardings, resolutions);
  }
}
