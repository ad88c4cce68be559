package dev.porthole.checks;

import java.util.List;

/**
 * Returns why a target is down, in plain words, and what to do about it.
 *
 * @param code the stable code, for scripts
 * @param summary one sentence: what is wrong
 * @param details the facts behind it (the process, the rule, the addresses), one per line
 * @param fix one sentence: what to do
 */
public record Diagnosis(DiagnosisCode code, String summary, List<String> details, String fix) {
  public Diagnosis {
    details = List.copyOf(details);
  }
}
