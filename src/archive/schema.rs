//! Schema migrations. `MIGRATIONS[i]` upgrades an archive from version `i` to
//! `i + 1`; `PRAGMA user_version` records the version. All pending steps run
//! in one IMMEDIATE transaction: an archive is never left half-upgraded.

/// Version 1: units, cadres and post history, initiatives through the three
/// stages, evidence, transitions and the revision log.
const V1: &str = r#"
CREATE TABLE unit (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES unit(id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX unit_parent ON unit(parent_id);

CREATE TABLE cadre (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    gender            TEXT NOT NULL CHECK (gender IN ('男', '女')),
    birth             TEXT NOT NULL,
    ethnicity         TEXT NOT NULL,
    native_place      TEXT NOT NULL,
    party_date        TEXT,
    work_start        TEXT,
    education         TEXT NOT NULL,
    post              TEXT NOT NULL,
    rank              TEXT NOT NULL,
    unit_id           INTEGER NOT NULL REFERENCES unit(id),
    management_level  TEXT NOT NULL,
    status            TEXT NOT NULL,
    id_number         TEXT UNIQUE
);
CREATE INDEX cadre_unit ON cadre(unit_id);
CREATE INDEX cadre_name ON cadre(name);

CREATE TABLE post (
    id          INTEGER PRIMARY KEY,
    cadre_id    INTEGER NOT NULL REFERENCES cadre(id),
    unit_id     INTEGER NOT NULL REFERENCES unit(id),
    title       TEXT NOT NULL,
    rank        TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX post_cadre ON post(cadre_id);
CREATE INDEX post_unit ON post(unit_id);

CREATE TABLE initiative (
    id           INTEGER PRIMARY KEY,
    category     TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('谋事', '干事', '成事')),
    start_date   TEXT NOT NULL,
    stopped_on   TEXT,
    stop_reason  TEXT,
    CHECK ((stopped_on IS NULL) = (stop_reason IS NULL))
);

CREATE TABLE participant (
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
    role           TEXT NOT NULL CHECK (role IN ('牵头', '参与')),
    PRIMARY KEY (initiative_id, cadre_id)
);
CREATE INDEX participant_cadre ON participant(cadre_id);
CREATE UNIQUE INDEX participant_one_lead ON participant(initiative_id) WHERE role = '牵头';

CREATE TABLE initiative_tag (
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    tag            TEXT NOT NULL,
    PRIMARY KEY (initiative_id, tag)
);

CREATE TABLE plan (
    initiative_id          INTEGER PRIMARY KEY REFERENCES initiative(id),
    goal                   TEXT NOT NULL,
    measures               TEXT NOT NULL,
    responsible_unit_id    INTEGER REFERENCES unit(id),
    responsible_person     TEXT NOT NULL,
    deadline               TEXT
);
CREATE INDEX plan_unit ON plan(responsible_unit_id);

CREATE TABLE milestone (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    name           TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    done_date      TEXT
);
CREATE INDEX milestone_initiative ON milestone(initiative_id);

CREATE TABLE plan_rating (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    rater_role     TEXT NOT NULL,
    rater_name     TEXT NOT NULL,
    innovation     INTEGER NOT NULL CHECK (innovation BETWEEN 1 AND 5),
    challenge      INTEGER NOT NULL CHECK (challenge BETWEEN 1 AND 5),
    difficulty     INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
    comment        TEXT NOT NULL,
    rated_on       TEXT NOT NULL,
    UNIQUE (initiative_id, rater_role)
);

CREATE TABLE tracking (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    date           TEXT NOT NULL,
    progress       INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    narrative      TEXT NOT NULL,
    milestone_id   INTEGER REFERENCES milestone(id),
    conduct_tag    TEXT,
    conduct        TEXT NOT NULL,
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    tracker        TEXT NOT NULL
);
CREATE INDEX tracking_initiative ON tracking(initiative_id, date);
CREATE INDEX tracking_milestone ON tracking(milestone_id);

CREATE TABLE outcome (
    initiative_id  INTEGER PRIMARY KEY REFERENCES initiative(id),
    achievement    TEXT NOT NULL,
    narrative      TEXT NOT NULL,
    recorded_on    TEXT NOT NULL
);

CREATE TABLE outcome_metric (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES outcome(initiative_id),
    name           TEXT NOT NULL,
    value          REAL NOT NULL,
    unit           TEXT NOT NULL
);
CREATE INDEX outcome_metric_initiative ON outcome_metric(initiative_id);

CREATE TABLE recognition (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    level          TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    date           TEXT NOT NULL
);
CREATE INDEX recognition_initiative ON recognition(initiative_id);

CREATE TABLE stage_transition (
    id             INTEGER PRIMARY KEY,
    initiative_id  INTEGER NOT NULL REFERENCES initiative(id),
    from_stage     TEXT,
    to_stage       TEXT NOT NULL,
    date           TEXT NOT NULL,
    actor          TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stage_transition_initiative ON stage_transition(initiative_id);

CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    owner_kind  TEXT NOT NULL,
    owner_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    added_on    TEXT NOT NULL,
    added_by    TEXT NOT NULL
);
CREATE INDEX evidence_owner ON evidence(owner_kind, owner_id);

-- Every version of every record, newest last: corrections never overwrite
-- history. `data` is the record's full JSON after the change.
CREATE TABLE revision (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    rev         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    data        TEXT NOT NULL,
    UNIQUE (entity, entity_id, rev)
);
"#;

/// Version 2: people's evaluations and the protection clause, negative records
/// (问责, 为官不为, 约谈, 问题清单), reports and clearing (澄清正名), fault-tolerance
/// cases (容错免责) with citations, versioned assessment schemes, final grades.
const V2: &str = r#"
CREATE TABLE evaluation (
    id           INTEGER PRIMARY KEY,
    cadre_id     INTEGER NOT NULL REFERENCES cadre(id),
    year         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('民主测评', '群众评议')),
    rater_group  TEXT NOT NULL,
    excellent    INTEGER,
    competent    INTEGER,
    basic        INTEGER,
    incompetent  INTEGER,
    score        REAL,
    held_on      TEXT NOT NULL,
    note         TEXT NOT NULL
);
CREATE INDEX evaluation_cadre ON evaluation(cadre_id, year);

CREATE TABLE protection (
    id             INTEGER PRIMARY KEY,
    evaluation_id  INTEGER NOT NULL UNIQUE REFERENCES evaluation(id),
    reason         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_on     TEXT NOT NULL
);

-- 问责 / 为官不为 / 约谈 / 问题清单: one table, the kind's details as JSON.
CREATE TABLE negative (
    id        INTEGER PRIMARY KEY,
    cadre_id  INTEGER NOT NULL REFERENCES cadre(id),
    kind      TEXT NOT NULL,
    date      TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX negative_cadre ON negative(cadre_id, date);

CREATE TABLE report (
    id               INTEGER PRIMARY KEY,
    cadre_id         INTEGER NOT NULL REFERENCES cadre(id),
    received_on      TEXT NOT NULL,
    source           TEXT NOT NULL,
    summary          TEXT NOT NULL,
    finding          TEXT,
    found_on         TEXT,
    investigated_by  TEXT NOT NULL DEFAULT '',
    finding_note     TEXT NOT NULL DEFAULT '',
    CHECK ((finding IS NULL) = (found_on IS NULL))
);
CREATE INDEX report_cadre ON report(cadre_id);

CREATE TABLE clearing (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL UNIQUE REFERENCES report(id),
    cleared_on  TEXT NOT NULL,
    scope       TEXT NOT NULL,
    statement   TEXT NOT NULL
);

CREATE TABLE tolerance_case (
    id             INTEGER PRIMARY KEY,
    cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
    initiative_id  INTEGER REFERENCES initiative(id),
    negative_id    INTEGER REFERENCES negative(id),
    nature         TEXT NOT NULL,
    basis          TEXT NOT NULL,
    motive         TEXT NOT NULL,
    process        TEXT NOT NULL,
    orientation    TEXT NOT NULL,
    correction     TEXT NOT NULL,
    decision       TEXT,
    reason         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_on     TEXT,
    benchmark      INTEGER NOT NULL DEFAULT 0,
    CHECK ((initiative_id IS NULL) <> (negative_id IS NULL)),
    CHECK ((decision IS NULL) = (decided_on IS NULL))
);
CREATE INDEX tolerance_cadre ON tolerance_case(cadre_id);
CREATE INDEX tolerance_initiative ON tolerance_case(initiative_id);
CREATE INDEX tolerance_negative ON tolerance_case(negative_id);

CREATE TABLE tolerance_citation (
    case_id   INTEGER NOT NULL REFERENCES tolerance_case(id),
    cited_id  INTEGER NOT NULL REFERENCES tolerance_case(id),
    PRIMARY KEY (case_id, cited_id)
);
CREATE INDEX tolerance_citation_cited ON tolerance_citation(cited_id);

CREATE TABLE scheme (
    id        INTEGER PRIMARY KEY,
    year      INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    content   TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    note      TEXT NOT NULL,
    UNIQUE (year, version)
);

CREATE TABLE final_grade (
    id              INTEGER PRIMARY KEY,
    cadre_id        INTEGER NOT NULL REFERENCES cadre(id),
    year            INTEGER NOT NULL,
    grade           TEXT NOT NULL,
    suggested       TEXT NOT NULL,
    scheme_version  INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    decided_by      TEXT NOT NULL,
    decided_on      TEXT NOT NULL,
    UNIQUE (cadre_id, year)
);
"#;

/// Version 3: the tamper-evident audit trail (a hash chain, append-only), and
/// the revision log made append-only too.
const V3: &str = r#"
CREATE TABLE audit (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    object         TEXT NOT NULL,
    cadre_id       INTEGER,
    before_digest  TEXT NOT NULL,
    after_digest   TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_actor ON audit(actor);
CREATE INDEX audit_cadre ON audit(cadre_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
CREATE TRIGGER revision_no_update BEFORE UPDATE ON revision BEGIN SELECT RAISE(ABORT, '修订记录只能追加，不能修改'); END;
CREATE TRIGGER revision_no_delete BEFORE DELETE ON revision BEGIN SELECT RAISE(ABORT, '修订记录只能追加，不能删除'); END;
"#;

/// Version 4: leader reviews (批示) on a dossier or a promotion comparison,
/// append-only; a later comment follows up an earlier one.
const V4: &str = r#"
CREATE TABLE review (
    id           INTEGER PRIMARY KEY,
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('cadre', 'comparison')),
    target       TEXT NOT NULL,
    parent_id    INTEGER REFERENCES review(id),
    author       TEXT NOT NULL,
    at           TEXT NOT NULL,
    text         TEXT NOT NULL,
    signed_off   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX review_target ON review(target_kind, target);
CREATE INDEX review_parent ON review(parent_id);
CREATE TABLE review_cadre (
    review_id  INTEGER NOT NULL REFERENCES review(id),
    cadre_id   INTEGER NOT NULL REFERENCES cadre(id),
    PRIMARY KEY (review_id, cadre_id)
);
CREATE INDEX review_cadre_cadre ON review_cadre(cadre_id);
CREATE TRIGGER review_no_update BEFORE UPDATE ON review BEGIN SELECT RAISE(ABORT, '批示一经提交不能修改，可另行跟进'); END;
CREATE TRIGGER review_no_delete BEFORE DELETE ON review BEGIN SELECT RAISE(ABORT, '批示一经提交不能删除'); END;
"#;

/// Version 5: users, their roles and their management scope (干部管理权限).
/// Passwords are not here: each user's keyslot lives in the archive's sidecar
/// key file. Users are deactivated, never deleted, so the audit trail's actors
/// stay resolvable.
const V5: &str = r#"
CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,
    all_units     INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE TABLE app_user_unit (
    user_id  INTEGER NOT NULL REFERENCES app_user(id),
    unit_id  INTEGER NOT NULL REFERENCES unit(id),
    PRIMARY KEY (user_id, unit_id)
);
"#;

/// Version 6: the personnel-file details of a cadre that the 干部任免审批表
/// (LRMX) carries and the archive does not otherwise model — education,
/// résumé, rewards and punishments, family, photo — kept as one JSON document
/// per cadre (revisioned like every record) and the photo as a blob.
const V6: &str = r#"
CREATE TABLE cadre_profile (
    cadre_id    INTEGER PRIMARY KEY REFERENCES cadre(id),
    data        TEXT NOT NULL,
    photo       BLOB,
    photo_mime  TEXT
);
"#;

/// Version 7: full-text search. Two contentless FTS5 indexes whose rowids are
/// the cadre and initiative ids; their text is produced by the `gs_terms` and
/// `gs_pinyin` functions every connection registers (see `search::terms`:
/// Han text is indexed as overlapping bigrams, names also by pinyin). Triggers
/// keep them current on every write; existing records are indexed here.
const V7: &str = r#"
CREATE VIRTUAL TABLE cadre_fts USING fts5(title, body, pinyin, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE initiative_fts USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

CREATE TRIGGER cadre_fts_insert AFTER INSERT ON cadre BEGIN
    INSERT INTO cadre_fts(rowid, title, body, pinyin) VALUES (new.id, gs_terms(new.name),
        gs_terms(new.post || ' ' || coalesce((SELECT name FROM unit WHERE id = new.unit_id), '')), gs_pinyin(new.name));
END;
CREATE TRIGGER cadre_fts_update AFTER UPDATE OF name, post, unit_id ON cadre BEGIN
    DELETE FROM cadre_fts WHERE rowid = old.id;
    INSERT INTO cadre_fts(rowid, title, body, pinyin) VALUES (new.id, gs_terms(new.name),
        gs_terms(new.post || ' ' || coalesce((SELECT name FROM unit WHERE id = new.unit_id), '')), gs_pinyin(new.name));
END;
CREATE TRIGGER cadre_fts_delete AFTER DELETE ON cadre BEGIN
    DELETE FROM cadre_fts WHERE rowid = old.id;
END;
CREATE TRIGGER unit_fts_rename AFTER UPDATE OF name ON unit BEGIN
    DELETE FROM cadre_fts WHERE rowid IN (SELECT id FROM cadre WHERE unit_id = new.id);
    INSERT INTO cadre_fts(rowid, title, body, pinyin)
        SELECT id, gs_terms(name), gs_terms(post || ' ' || new.name), gs_pinyin(name) FROM cadre WHERE unit_id = new.id;
END;

CREATE TRIGGER initiative_fts_insert AFTER INSERT ON initiative BEGIN
    INSERT INTO initiative_fts(rowid, title, body) VALUES (new.id, gs_terms(new.title),
        gs_terms(new.summary || ' ' || coalesce((SELECT narrative FROM outcome WHERE initiative_id = new.id), '')));
END;
CREATE TRIGGER initiative_fts_update AFTER UPDATE OF title, summary ON initiative BEGIN
    DELETE FROM initiative_fts WHERE rowid = old.id;
    INSERT INTO initiative_fts(rowid, title, body) VALUES (new.id, gs_terms(new.title),
        gs_terms(new.summary || ' ' || coalesce((SELECT narrative FROM outcome WHERE initiative_id = new.id), '')));
END;
CREATE TRIGGER initiative_fts_delete AFTER DELETE ON initiative BEGIN
    DELETE FROM initiative_fts WHERE rowid = old.id;
END;
CREATE TRIGGER outcome_fts_insert AFTER INSERT ON outcome BEGIN
    DELETE FROM initiative_fts WHERE rowid = new.initiative_id;
    INSERT INTO initiative_fts(rowid, title, body)
        SELECT id, gs_terms(title), gs_terms(summary || ' ' || new.narrative) FROM initiative WHERE id = new.initiative_id;
END;
CREATE TRIGGER outcome_fts_update AFTER UPDATE OF narrative ON outcome BEGIN
    DELETE FROM initiative_fts WHERE rowid = new.initiative_id;
    INSERT INTO initiative_fts(rowid, title, body)
        SELECT id, gs_terms(title), gs_terms(summary || ' ' || new.narrative) FROM initiative WHERE id = new.initiative_id;
END;
CREATE TRIGGER outcome_fts_delete AFTER DELETE ON outcome BEGIN
    DELETE FROM initiative_fts WHERE rowid = old.initiative_id;
    INSERT INTO initiative_fts(rowid, title, body)
        SELECT id, gs_terms(title), gs_terms(summary) FROM initiative WHERE id = old.initiative_id;
END;

INSERT INTO cadre_fts(rowid, title, body, pinyin)
    SELECT c.id, gs_terms(c.name), gs_terms(c.post || ' ' || u.name), gs_pinyin(c.name) FROM cadre c JOIN unit u ON u.id = c.unit_id;
INSERT INTO initiative_fts(rowid, title, body)
    SELECT i.id, gs_terms(i.title), gs_terms(i.summary || ' ' || coalesce(o.narrative, ''))
      FROM initiative i LEFT JOIN outcome o ON o.initiative_id = i.id;
"#;

/// Version 8: the paged initiative list (newest first) reads this index
/// instead of sorting every initiative for each page.
const V8: &str = r#"
CREATE INDEX initiative_start ON initiative(start_date, id);
"#;

/// Version 9: the year-end run reads the tracking records and milestones of a
/// thousand cadres at a time; these indexes hold every column the rules read, so
/// the run reads index pages only and never jumps into the table rows.
const V9: &str = r#"
DROP INDEX tracking_initiative;
CREATE INDEX tracking_initiative ON tracking(initiative_id, date, rating, conduct_tag, milestone_id, progress);
DROP INDEX milestone_initiative;
CREATE INDEX milestone_initiative ON milestone(initiative_id, due_date, done_date, name);
"#;

/// Version 10: each lead cadre's initiatives, straight from the index. The
/// initiative list counts a province's 600,000 initiatives from it, and finds a
/// unit's initiatives from its cadres, without reading a participant row.
const V10: &str = r#"
CREATE INDEX participant_lead ON participant(cadre_id, initiative_id) WHERE role = '牵头';
"#;

/// Version 11: more of what the year-end run reads comes from index pages alone,
/// as version 9 did for tracking and milestones: each cadre's initiatives and
/// role in them, the two plan ratings, and the stage transitions (the columns
/// the rules read; the free text stays in the table).
const V11: &str = r#"
DROP INDEX participant_cadre;
CREATE INDEX participant_cadre ON participant(cadre_id, role, initiative_id);
CREATE INDEX plan_rating_rules ON plan_rating(initiative_id, rater_role, rater_name, innovation, challenge, difficulty, rated_on);
DROP INDEX stage_transition_initiative;
CREATE INDEX stage_transition_initiative ON stage_transition(initiative_id, from_stage, to_stage, date);
"#;

/// Version 12: every cadre an audit entry concerns (issue 16: a change to an
/// initiative concerns every cadre taking part, not only its lead), so that
/// `audit list --cadre` finds it for each of them. Append-only like `audit`;
/// filled from the entries' single cadre for the trail written before.
const V12: &str = r#"
CREATE TABLE audit_concerns (
    audit_id INTEGER NOT NULL,
    cadre_id INTEGER NOT NULL,
    PRIMARY KEY (audit_id, cadre_id)
) WITHOUT ROWID;
CREATE INDEX audit_concerns_cadre ON audit_concerns(cadre_id, audit_id);
INSERT INTO audit_concerns (audit_id, cadre_id) SELECT id, cadre_id FROM audit WHERE cadre_id IS NOT NULL;
CREATE TRIGGER audit_concerns_no_update BEFORE UPDATE ON audit_concerns BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_concerns_no_delete BEFORE DELETE ON audit_concerns BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
"#;

/// Version 13: record seals (issue 16, medium 3; `archive::seal`). Each record
/// table's rows summed into a seal, and every audit entry from now on carrying
/// the digest of all seals after its change, so `audit verify` finds a record
/// edited, added or removed outside the program. The seals are computed from the
/// rows when the archive is opened after this upgrade (`migrate`).
const V13: &str = r#"
ALTER TABLE audit ADD COLUMN state_digest TEXT NOT NULL DEFAULT '';
CREATE TABLE seal_state (
    tbl  TEXT PRIMARY KEY,
    sum  BLOB NOT NULL
) WITHOUT ROWID;
"#;

/// Version 14 (issue 17): the texts of a cadre's 年度考核登记表 — the 个人总结 in
/// the cadre's own words and the 主管领导评语 — one per cadre and year, written
/// (or drafted from the year's work) and kept; and each cadre's 人员类别, which
/// decides the form (公务员 or 事业单位工作人员) and the grade words.
const V14: &str = r#"
CREATE TABLE appraisal_text (
    id              INTEGER PRIMARY KEY,
    cadre_id        INTEGER NOT NULL REFERENCES cadre(id),
    year            INTEGER NOT NULL,
    summary         TEXT NOT NULL,
    leader_comment  TEXT NOT NULL,
    UNIQUE (cadre_id, year)
);
ALTER TABLE cadre ADD COLUMN staff_category TEXT NOT NULL DEFAULT '公务员';
"#;

/// Version 15 (issue 19): the site identity of this archive — its 行政区划代码,
/// name and key pairs (Ed25519 to sign packages, X25519 to receive them; the
/// secrets are kept only inside the encrypted archive) — and the partner sites
/// it exchanges packages with: each partner's public keys, the unit subtree it
/// owns, the last package sent to and received from it, and its revocation.
const V15: &str = r#"
CREATE TABLE site_identity (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    sign_secret   BLOB NOT NULL,
    box_secret    BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    -- The records were renumbered into the site's id range after this audit
    -- entry: entries up to it name records by their earlier ids.
    renumbered_through INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE site_partner (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    sign_public   BLOB NOT NULL,
    box_public    BLOB NOT NULL,
    unit_id       INTEGER REFERENCES unit(id),
    trusted_at    TEXT NOT NULL,
    trusted_by    TEXT NOT NULL,
    revoked_at    TEXT,
    revoked_reason TEXT NOT NULL DEFAULT '',
    sent_seq      INTEGER NOT NULL DEFAULT 0,
    received_seq  INTEGER NOT NULL DEFAULT 0,
    -- What the packages sent so far carried, as one changeset (the state the
    -- partner has of this site's rows): the next package is the difference.
    sent_state    BLOB NOT NULL DEFAULT x'',
    -- For a partner above (sent everything this site owns): the last outbox
    -- entry its packages carried.
    outbox_sent   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- Each write transaction's changes to this site's records, captured as it
-- commits (SQLite's session extension): the packages to the site above are
-- cut from here, so their cost follows what changed.
CREATE TABLE exchange_outbox (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    changeset     BLOB NOT NULL
);
-- Conflicts met applying packages: the version that lost is kept here.
CREATE TABLE exchange_conflict (
    id            INTEGER PRIMARY KEY,
    partner       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    applied_at    TEXT NOT NULL,
    tbl           TEXT NOT NULL,
    row_key       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    resolution    TEXT NOT NULL,
    kept          TEXT NOT NULL
);
"#;

/// Version 16 (issue 19): the city keeps each county's audit chain — the
/// entries the county's packages carry, checked to continue the chain and to
/// end at the head the package signed — and a site keeps each package it sent
/// until the partner acknowledges it, so that a package lost on the way can
/// be written again exactly as it was. The outbox numbers its entries with
/// AUTOINCREMENT: an entry sent and deleted never gives its number to a later
/// one (which the next package would then skip).
const V16: &str = r#"
CREATE TABLE exchange_outbox_v16 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    changeset     BLOB NOT NULL
);
INSERT INTO exchange_outbox_v16 (id, at, changeset) SELECT id, at, changeset FROM exchange_outbox;
DROP TABLE exchange_outbox;
ALTER TABLE exchange_outbox_v16 RENAME TO exchange_outbox;
DELETE FROM sqlite_sequence WHERE name IN ('exchange_outbox', 'exchange_outbox_v16');
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'exchange_outbox', max(coalesce((SELECT max(id) FROM exchange_outbox), 0),
                                  coalesce((SELECT max(outbox_sent) FROM site_partner), 0));
CREATE TABLE site_audit (
    site          TEXT NOT NULL,
    id            INTEGER NOT NULL,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    object        TEXT NOT NULL,
    cadre_id      INTEGER,
    before_digest TEXT NOT NULL,
    after_digest  TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    state_digest  TEXT NOT NULL,
    PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE TRIGGER site_audit_no_update BEFORE UPDATE ON site_audit BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER site_audit_no_delete BEFORE DELETE ON site_audit BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
-- To a site above: the last own audit entry sent. From a partner: its entries
-- kept here, the hash of the last, and its renumbering mark.
ALTER TABLE site_partner ADD COLUMN audit_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_partner ADD COLUMN audit_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE site_partner ADD COLUMN audit_head TEXT NOT NULL DEFAULT '';
ALTER TABLE site_partner ADD COLUMN audit_renumbered INTEGER NOT NULL DEFAULT 0;
-- The last package of ours the partner says it has applied.
ALTER TABLE site_partner ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;
CREATE TABLE exchange_sent (
    partner       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    manifest      TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    PRIMARY KEY (partner, seq)
) WITHOUT ROWID;
"#;

pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15, V16];

pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;
