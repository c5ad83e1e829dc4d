package org.crmlake.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobManifestTest {
    @Test
    void checkedInManifestIsCurrent() throws Exception {
        String checkedIn = Files.readString(Path.of("../dags/manifest.json"));
        assertThat(checkedIn).as("dags/manifest.json is stale: run ./crm jobs --json > dags/manifest.json")
                .isEqualTo(JobManifest.json());
    }

    @Test
    void listOrderIsARunOrder() {
        for (List<Job> jobs : List.of(JobRegistry.daily(), JobRegistry.training())) {
            Map<String, List<String>> upstream = JobRegistry.upstream(jobs);
            Set<String> done = new HashSet<>();
            for (Job j : jobs) {
                assertThat(done).as(j.name() + " runs after its upstream jobs").containsAll(upstream.get(j.name()));
                done.add(j.name());
            }
        }
    }

    @Test
    void nothingPastTheQualityGateRunsBeforeItPasses() {
        List<Job> jobs = JobRegistry.daily();
        Map<String, List<String>> upstream = JobRegistry.upstream(jobs);
        Set<String> feeders = Set.of("ingest-crm", "ingest-erp", "ingest-web", "ingest-calls");
        for (Job j : jobs) {
            if (!j.name().equals("check-quality") && !feeders.contains(j.name())) {
                assertThat(reaches(j.name(), "check-quality", upstream)).as(j.name() + " waits for the gate").isTrue();
            }
        }
        assertThat(upstream.get("ingest-crm")).isEmpty();
    }

    @Test
    void trainingRescoresAndRepublishes() {
        List<String> names = JobRegistry.training().stream().map(Job::name).toList();
        assertThat(names).containsExactly("train-churn", "train-propensity", "score-customers", "build-segments",
                "publish-warehouse");
        assertThat(JobRegistry.upstream(JobRegistry.training()).get("score-customers"))
                .containsExactly("train-churn", "train-propensity");
    }

    private static boolean reaches(String from, String to, Map<String, List<String>> upstream) {
        return upstream.get(from).contains(to) || upstream.get(from).stream().anyMatch(u -> reaches(u, to, upstream));
    }
}
