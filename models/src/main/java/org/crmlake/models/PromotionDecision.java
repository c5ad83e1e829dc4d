package org.crmlake.models;

/** Whether a candidate became champion, and why, in words. */
public record PromotionDecision(boolean promote, String reason) {}
