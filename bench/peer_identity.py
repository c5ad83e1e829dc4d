"""Identity resolution: our gold.identity_map against Splink 5 (DuckDB backend) on the same records.

Both tools see the person records of silver.persons (one row per source record: CRM contacts, ERP
customers, web users, calls). The personal columns are stored encrypted (AES-256-GCM, `enc1:` values,
key id as associated data); we decrypt them with the key file in `workdir/keys/lake-keys.yaml` before
handing them to Splink. Splink is trained the usual way (prior from deterministic rules, u by random
sampling, m by expectation maximisation), predicts pairs under the blocking rules below and clusters
them by connected components at match probability 0.95. Its wall time runs from registering the
decrypted records to the clusters being back in pandas (decryption excluded).

Scoring follows our own evaluator (org.crmlake.identity.IdentityEvaluation, `crm evaluate identity`):
truth is `world/truth/record_person.csv` keyed by `source:entity:record_id` (= silver.persons
record_key); only records present in the truth, in silver.persons and in gold.identity_map count (so
anonymous web cookies, which are not person records, are left out). Pairwise precision = correct
pairs / pairs put in one cluster, recall = correct pairs / true same-person pairs, counted from group
sizes as n(n-1)/2 (never by listing pairs). Both tools are scored by the same function.
"""
import base64
import time
from pathlib import Path

import pandas as pd
import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from deltalake import DeltaTable

THRESHOLD = 0.95
SWEEP = (0.4, 0.5, 0.8, 0.99)  # extra clustering thresholds, reported for context (phone- or e-mail-only links score ~0.48)
ENCRYPTED = ["full_name", "first_name", "last_name", "email", "phone_e164", "street", "postcode"]
SETTINGS = ("link: dedupe_only over all silver.persons records; crm_id = the record id of a CRM contact or "
            "the CRM contact id an ERP customer / call carries. Blocking: crm_id; email; phone; surname + "
            "first initial; postcode + first initial; birth date. Comparisons: NameComparison(first_name), "
            "NameComparison(surname) (names lower-cased; from full_name when first/last are missing, CJK names "
            "split as first character = surname), EmailComparison(email) (placeholder e-mails as null), "
            "ExactMatch(phone), ExactMatch(crm_id), DateOfBirthComparison(birth_date), ExactMatch(postcode), "
            "JaroWinklerAtThresholds(street, [0.9, 0.7]). Prior from deterministic rules email|phone|crm_id "
            "(recall 0.8), u by random sampling (5e6 pairs, seed 42), m by EM blocked on email, then on "
            "surname + first_name (an EM pass blocked on phone underflows: those pairs are mostly calls with "
            "nothing else filled in); clusters = connected components at match probability "
            f"{THRESHOLD} (also scored at {', '.join(map(str, SWEEP))}). The pinyin name_key our pipeline derives is not given to Splink.")


def decryptor(key_file: Path):
    """A function turning a stored value into clear text (values not starting with enc1: are returned as they are)."""
    conf = yaml.safe_load(key_file.read_text())
    ciphers = {str(k["id"]): AESGCM(base64.b64decode(k["key"])) for k in conf["keys"]}

    def decrypt(value):
        if not isinstance(value, str) or not value.startswith("enc1:"):
            return value
        _, key_id, payload = value.split(":", 2)
        raw = base64.b64decode(payload + "=" * (-len(payload) % 4))  # stored without padding
        return ciphers[key_id].decrypt(raw[:12], raw[12:], key_id.encode("utf-8")).decode("utf-8")

    return decrypt


def _is_cjk(name: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in name)


def _split_name(full):
    """(first, surname) from a full name: first/last token, or for a CJK name without spaces first character = surname."""
    if not isinstance(full, str) or not full.strip():
        return None, None
    parts = full.split()
    if len(parts) == 1 and _is_cjk(parts[0]) and len(parts[0]) > 1:
        return parts[0][1:], parts[0][0]
    return (parts[0], parts[-1]) if len(parts) > 1 else (None, parts[0])


def splink_input(persons: pd.DataFrame) -> pd.DataFrame:
    """The decrypted person records in the shape Splink expects (unique_id plus comparison columns)."""
    split = persons["full_name"].map(_split_name)
    first = persons["first_name"].fillna(split.str[0])
    surname = persons["last_name"].fillna(split.str[1])
    email = persons["email"].where(~persons["email_is_placeholder"].fillna(False).astype(bool))
    crm_id = persons["record_id"].where(persons["source"] == "crm", persons["crm_contact_id"])
    birth = persons["birth_date"].map(lambda d: None if d is None or pd.isna(d) else str(d))
    out = pd.DataFrame({
        "unique_id": persons["record_key"], "first_name": first.str.strip().str.lower(),
        "surname": surname.str.strip().str.lower(), "email": email.str.strip().str.lower(),
        "phone": persons["phone_e164"], "crm_id": crm_id, "birth_date": birth,
        "postcode": persons["postcode"].str.replace(" ", "").str.upper(), "street": persons["street"].str.lower()})
    return out.astype(object).where(out.notna(), None)


def run_splink(records: pd.DataFrame, sweep=SWEEP):
    """Train, predict and cluster. Returns (unique_id -> cluster_id at THRESHOLD, wall seconds up to that
    clustering, {threshold: unique_id -> cluster_id} for the extra thresholds, clustered after the clock stops)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("crm_id"), block_on("email"), block_on("phone"),
            block_on("surname", "substr(first_name, 1, 1)"), block_on("postcode", "substr(first_name, 1, 1)"),
            block_on("birth_date")],
        comparisons=[
            cl.NameComparison("first_name"), cl.NameComparison("surname"), cl.EmailComparison("email"),
            cl.ExactMatch("phone"), cl.ExactMatch("crm_id"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("postcode"), cl.JaroWinklerAtThresholds("street", [0.9, 0.7])],
        retain_intermediate_calculation_columns=False, retain_matching_columns=False)
    linker = Linker(DuckDBAPI().register(records), settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("phone"), block_on("crm_id")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=42)
    for rule in (block_on("email"), block_on("surname", "first_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=min((THRESHOLD, *sweep)))

    def cluster(threshold):
        found = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, threshold)
        return found.as_pandas_dataframe()[["unique_id", "cluster_id"]]

    clusters = cluster(THRESHOLD)
    wall = time.perf_counter() - started
    return clusters, wall, {t: cluster(t) for t in sweep}


def pairwise(frame: pd.DataFrame, found: str, truth: str = "person_id") -> dict:
    """Pairwise precision/recall/F1 of clustering `found` against `truth`, counted from group sizes."""
    def pairs(cols):
        n = frame.groupby(cols).size()
        return int((n * (n - 1) // 2).sum())

    true_pairs, found_pairs, correct = pairs([truth]), pairs([found]), pairs([truth, found])
    precision = correct / found_pairs if found_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "clusters": int(frame[found].nunique()), "found_pairs": found_pairs, "correct_pairs": correct,
            "true_pairs": true_pairs}


def compare(lake: Path, workdir: Path) -> dict:
    lake, workdir = Path(lake), Path(workdir)
    persons = DeltaTable(str(lake / "silver" / "persons")).to_pandas()
    ours = DeltaTable(str(lake / "gold" / "identity_map")).to_pandas()[["record_key", "customer_id"]]
    truth = pd.read_csv(workdir / "world" / "truth" / "record_person.csv", dtype=str)
    truth["record_key"] = truth["source"] + ":" + truth["entity"] + ":" + truth["record_id"]

    decrypt = decryptor(workdir / "keys" / "lake-keys.yaml")
    for column in ENCRYPTED:
        persons[column] = persons[column].map(decrypt)
    records = splink_input(persons)

    clusters, wall, sweep = run_splink(records)

    # Same record set as IdentityEvaluation: truth ∩ silver.persons ∩ gold.identity_map.
    scored = (truth[["record_key", "person_id"]].merge(persons[["record_key"]], on="record_key")
              .merge(ours, on="record_key"))

    def score(found):
        frame = scored.merge(found.rename(columns={"unique_id": "record_key"}), on="record_key", how="left")
        frame["cluster_id"] = frame["cluster_id"].fillna(frame["record_key"])  # none expected: all are clustered
        return pairwise(frame, "cluster_id")

    splink_result = dict(score(clusters), wall_seconds=round(wall, 2), threshold_match_probability=THRESHOLD,
                         other_thresholds={str(t): score(c) for t, c in sorted(sweep.items())})
    import splink
    return {"records": int(len(scored)), "person_records_in_lake": int(len(persons)),
            "truth_records_not_in_lake": int(len(truth) - truth["record_key"].isin(persons["record_key"]).sum()),
            "true_clusters": int(scored["person_id"].nunique()),
            "splink_version": splink.__version__, "splink": splink_result,
            "ours": pairwise(scored, "customer_id"), "settings": SETTINGS}


if __name__ == "__main__":
    import json
    import sys

    work = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/b2demo")
    print(json.dumps(compare(work / "lake", work), indent=2, ensure_ascii=False))
