package org.crmlake.generate;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Records that change over time (a ticket gets resolved, an invoice paid): each batch exports
 * the record once, in the state it had at the end of that batch, if it was created or changed
 * in that batch.
 */
final class Versions {

    /** The record's full row from {@code at} until the next state. */
    record State(long at, String[] row) {
    }

    private Versions() {
    }

    /** Writes the states in time order; returns true when at least one version was exported. */
    static boolean write(LandingFile file, Batches batches, List<State> states, SplittableRandom mess)
            throws IOException {
        boolean written = false;
        for (int i = 0; i < states.size(); i++) {
            State s = states.get(i);
            int batch = batches.batchOf(Times.day(s.at()));
            boolean lastInBatch = i + 1 == states.size()
                    || batches.batchOf(Times.day(states.get(i + 1).at())) != batch;
            if (batch >= 0 && lastInBatch) {
                written |= file.write(s.at(), s.row(), mess);
            }
        }
        return written;
    }
}
