package io.portcullis.support;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.ApprovalSettings;
import io.portcullis.approval.Delegations;
import io.portcullis.audit.AuditEvents;
import io.portcullis.audit.AuditExport;
import io.portcullis.audit.AuditKeys;
import io.portcullis.audit.AuditTrail;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.catalog.Catalog;
import io.portcullis.offboarding.OffboardingControllerMocks;
import io.portcullis.offboarding.Offboardings;
import io.portcullis.request.AccessRequestRepository;
import io.portcullis.request.AccessRequestService;
import io.portcullis.request.RequestSettings;
import io.portcullis.review.ReviewControllerMocks;
import io.portcullis.security.EngineIdentity;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The controllers of {@code /api} in a slice of the web layer: Spring MVC, the controllers, their
 * validation, the strict JSON of {@code web/JsonBodies} and the problem details of {@code
 * web/ProblemDetailsAdvice} and {@code audit/AuditProblems}, with every service behind them a mock.
 * No engine, database or directory starts, so a controller's refusals and the shape of its answers
 * are checked in milliseconds. Who may call (Portcullis' security chains, the directory login, the
 * throttle) is not in the slice: Spring Boot's default chain stands in, so a test calls as an
 * authenticated {@link ApiSlice#caller}; the doors are the end-to-end tests' part ({@code
 * e2e/ApiErrorsTest}, {@code e2e/ApiMethodsAndRolesTest}).
 *
 * <p>Every class that carries it shares one application context: add a controller or a mock here,
 * not on one test class, or that class gets a context of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(
    useDefaultFilters = false,
    includeFilters =
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern = {
              "io\\.portcullis\\.request\\.AccessRequestController",
              "io\\.portcullis\\.request\\.ScheduledStarts",
              "io\\.portcullis\\.approval\\.DelegationController",
              "io\\.portcullis\\.approval\\.DelegationPeriods",
              "io\\.portcullis\\.request\\.AccessRequestRules",
              "io\\.portcullis\\.approval\\.Delegators",
              "io\\.portcullis\\.offboarding\\.OffboardingController",
              "io\\.portcullis\\.audit\\.AuditController",
              "io\\.portcullis\\.review\\.AccessReviewController",
              "io\\.portcullis\\.review\\.AccessReviews",
              "io\\.portcullis\\.audit\\.AuditProblems",
              "io\\.portcullis\\.web\\.ProblemDetailsAdvice",
              "io\\.portcullis\\.web\\.JsonBodies"
            }))
@Import({OffboardingControllerMocks.class, ReviewControllerMocks.class})
@EnableConfigurationProperties({RequestSettings.class, ApprovalSettings.class})
@MockitoBean(
    types = {
      AccessRequestService.class,
      AccessRequestRepository.class,
      Catalog.class,
      ApprovalChains.class,
      Delegations.class,
      AuditEvents.class,
      AuditExport.class,
      AuditKeys.class,
      AuditTrail.class,
      AuditVerifier.class,
      EngineIdentity.class,
      Offboardings.class,
      ProcessEngine.class
    })
public @interface ApiSliceTest {}
