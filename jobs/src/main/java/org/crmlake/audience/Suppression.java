package org.crmlake.audience;

import java.util.Locale;

/**
 * Why a selected customer is left out of an audience. Each customer counts once, under the first
 * reason that applies in this order, so selected = exported + the sum of these.
 */
public enum Suppression {
    /** Asked to be forgotten: privacy.erasure_requests names the customer id, e-mail hash or phone hash. */
    FORGOTTEN,
    /** Outside the caller's book: a sales rep's export and someone else owns the customer, or a manager's and the owner is in another team. */
    NOT_OWNED,
    /** Opted out of the channel. */
    OPTED_OUT,
    /** No contact point for the channel (or no customer_360 row on the date). */
    NO_CONTACT_POINT,
    /** No consent recorded for the channel, and unknown consent was not included (the default). */
    NO_CONSENT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
