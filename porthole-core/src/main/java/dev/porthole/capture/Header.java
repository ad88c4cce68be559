package dev.porthole.capture;

/** One HTTP header line, in the order and case it was sent. */
public record Header(String name, String value) {}
