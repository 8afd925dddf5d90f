package io.tidegate.notify;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** How an AWS SDK failure maps to a delivery outcome, the same for SNS and CloudWatch. */
final class AwsOutcomes {
    private AwsOutcomes() {}

    static DeliveryOutcome of(String service, SdkException e) {
        // No answer at all (timeout, refused, DNS): the call may succeed later.
        if (e instanceof SdkClientException) {
            return DeliveryOutcome.retryLater(service + " unreachable: " + e.getMessage());
        }
        if (e instanceof AwsServiceException s) {
            String said = service + " answered " + s.statusCode() + " "
                    + s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
            // Throttled, or AWS's own side failed (5xx): retry.
            if (s.isThrottlingException() || s.statusCode() >= 500) {
                return DeliveryOutcome.retryLater(said);
            }
            // Access denied, no such topic, invalid parameter: the same call fails again.
            return new DeliveryOutcome.Failed(said);
        }
        return DeliveryOutcome.retryLater(service + " call failed: " + e.getMessage());
    }
}
