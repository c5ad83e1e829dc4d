package org.crmlake.models;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The model families the trainer can fit; {@link #cliName()} is the name used on the command line. */
public enum Algorithm {
    GRADIENT_BOOSTING("gbt"),
    LOGISTIC_REGRESSION("logistic"),
    RANDOM_FOREST("forest");

    private final String cliName;

    Algorithm(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public boolean isTreeEnsemble() {
        return this != LOGISTIC_REGRESSION;
    }

    /** Accepts the CLI name or the enum name, case-insensitively. */
    public static Algorithm parse(String name) {
        for (Algorithm a : values()) {
            if (a.cliName.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        String choices =
                Arrays.stream(values()).map(Algorithm::cliName).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown algorithm '" + name + "'; choose one of " + choices);
    }
}
