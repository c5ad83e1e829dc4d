package org.crmlake.lake;

import java.util.Locale;

/**
 * What a column's value says about which person a row belongs to. Declared on the tables
 * ({@link TableDef.Builder#personKey}), so erasing a person ({@code crm forget}) finds every row of
 * theirs in every table, and a new table holding personal data cannot be forgotten by accident
 * (a test checks every identifying column is declared).
 */
public enum PersonKey {
    /** A customer id of gold (identity_map, customer_360, scores, ...). */
    CUSTOMER,
    /** A silver.persons record_key (source:entity:record_id). */
    RECORD,
    /** A CRM contact id. */
    CRM_CONTACT,
    /** A CRM opportunity (its stage history holds no contact id). */
    CRM_OPPORTUNITY,
    /** An ERP customer number. */
    ERP_CUSTOMER,
    /** An ERP order (its lines, invoices and returns hold no customer number). */
    ERP_ORDER,
    /** A web account id. */
    WEB_USER,
    /** A browser cookie (anonymous visits before a login belong to the person too). */
    WEB_COOKIE,
    /** A call-centre call id. */
    CALL,
    /** Free text (a quarantined raw record): matched when it contains any of the person's ids, e-mails or phones. */
    TEXT;

    /** The spelling in privacy.suppressed_identifiers and in the erasure report: crm_contact, web_cookie, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
