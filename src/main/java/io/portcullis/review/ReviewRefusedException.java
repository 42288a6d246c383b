package io.portcullis.review;

import io.portcullis.kernel.RefusedException;

/** A decision on a review's holder that its rules ({@link Reviewers}) refuse. */
class ReviewRefusedException extends RefusedException {

  ReviewRefusedException(String rule) {
    super(rule);
  }
}
