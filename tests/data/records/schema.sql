-- index alert_acknowledgements_by_plan on alert_acknowledgements
CREATE INDEX alert_acknowledgements_by_plan ON alert_acknowledgements (plan_id);
-- index assessments_by_patient_date on assessments
CREATE INDEX assessments_by_patient_date ON assessments (patient_id, assessed_on);
-- index audit_log_by_row on audit_log
CREATE INDEX audit_log_by_row ON audit_log (table_name, row_key);
-- index course_reviews_by_course on course_reviews
CREATE INDEX course_reviews_by_course ON course_reviews (course_id, cycle);
-- index drafts_by_patient on drafts
CREATE INDEX drafts_by_patient ON drafts (patient_id);
-- index idx__sqlite_migrations_migration_set_name on _sqlite_migrations
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
-- index patient_keys_by_mrn on patient_keys
CREATE INDEX patient_keys_by_mrn ON patient_keys (mrn_key);
-- index patient_merges_by_survivor on patient_merges
CREATE INDEX patient_merges_by_survivor ON patient_merges (surviving_id);
-- index patient_retirements_by_patient on patient_retirements
CREATE INDEX patient_retirements_by_patient ON patient_retirements (patient_id, id);
-- index patients_by_name on patients
CREATE INDEX patients_by_name
            ON patients (family_name COLLATE NOCASE, given_name COLLATE NOCASE, mrn);
-- index plans_by_assessment on plans
CREATE INDEX plans_by_assessment ON plans (assessment_id);
-- index review_changes_by_patient on review_changes
CREATE INDEX review_changes_by_patient ON review_changes (patient_id);
-- index treatment_courses_by_patient on treatment_courses
CREATE INDEX treatment_courses_by_patient ON treatment_courses (patient_id);
-- index worklist_by_last_assessed on worklist
CREATE INDEX worklist_by_last_assessed ON worklist (last_assessed_on);
-- index worklist_by_review_due on worklist
CREATE INDEX worklist_by_review_due ON worklist (coalesce(review_due_on, '9999-12-31'));
-- index worklist_open_alerts on worklist
CREATE INDEX worklist_open_alerts ON worklist (open_alerts) WHERE open_alerts > 0;
-- table _sqlite_migrations on _sqlite_migrations
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
-- table alert_acknowledgements on alert_acknowledgements
CREATE TABLE alert_acknowledgements (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans (id),
            alert_code TEXT NOT NULL,
            alert_message TEXT NOT NULL,
            note TEXT,
            acknowledged_by TEXT NOT NULL,
            acknowledged_at TEXT NOT NULL
        );
-- table assessment_amendments on assessment_amendments
CREATE TABLE assessment_amendments (
            id INTEGER PRIMARY KEY,
            amended_id INTEGER NOT NULL UNIQUE REFERENCES assessments (id),
            amendment_id INTEGER NOT NULL UNIQUE REFERENCES assessments (id),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            amended_by TEXT NOT NULL,
            amended_at TEXT NOT NULL,
            CHECK (amended_id != amendment_id)
        );
-- table assessments on assessments
CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            assessed_on TEXT NOT NULL,
            case_json TEXT NOT NULL,
            case_sha256 TEXT NOT NULL,
            bilirubin_x_uln REAL,
            alp_x_uln REAL,
            ecog INTEGER,
            esas_total INTEGER,
            weight_kg REAL,
            phq9_total INTEGER,
            distress_thermometer INTEGER,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (patient_id, case_sha256)
        );
-- table audit_log on audit_log
CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_key TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            before_json TEXT,
            after_json TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
-- table clinic_settings on clinic_settings
CREATE TABLE clinic_settings (
            key TEXT PRIMARY KEY,
            value_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
-- table course_cycles on course_cycles
CREATE TABLE course_cycles (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
            review_id INTEGER REFERENCES course_reviews (id),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            given_on TEXT NOT NULL,
            drugs_json TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (course_id, cycle)
        );
-- table course_day_doses on course_day_doses
CREATE TABLE course_day_doses (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
            review_id INTEGER NOT NULL REFERENCES course_reviews (id),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            day INTEGER NOT NULL CHECK (day >= 2),
            given_on TEXT NOT NULL,
            drugs_json TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (course_id, cycle, day)
        );
-- table course_reviews on course_reviews
CREATE TABLE course_reviews (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL REFERENCES treatment_courses (id),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            day INTEGER NOT NULL CHECK (day >= 1),
            reviewed_on TEXT NOT NULL,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            plan_id INTEGER NOT NULL REFERENCES plans (id),
            toxicities_json TEXT NOT NULL,
            suggested_json TEXT NOT NULL,
            decided_json TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'overridden')),
            reason TEXT,
            signed_by TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            CHECK (outcome = 'confirmed' OR length(trim(coalesce(reason, ''))) > 0)
        );
-- table course_stops on course_stops
CREATE TABLE course_stops (
            id INTEGER PRIMARY KEY,
            course_id INTEGER NOT NULL UNIQUE REFERENCES treatment_courses (id),
            review_id INTEGER REFERENCES course_reviews (id),
            stopped_on TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            stopped_by TEXT NOT NULL,
            stopped_at TEXT NOT NULL
        );
-- table drafts on drafts
CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER REFERENCES patients (id) ON DELETE CASCADE,
            wizard_page TEXT NOT NULL,
            draft_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        , unconfirmed_json TEXT NOT NULL DEFAULT '[]');
-- table patient_keys on patient_keys
CREATE TABLE patient_keys (
            patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
            name_key TEXT NOT NULL,
            mrn_key TEXT NOT NULL
        );
-- table patient_merges on patient_merges
CREATE TABLE patient_merges (
            id INTEGER PRIMARY KEY,
            merged_id INTEGER NOT NULL UNIQUE REFERENCES patients (id),
            surviving_id INTEGER NOT NULL REFERENCES patients (id),
            moved_json TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            signed_by TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            CHECK (merged_id != surviving_id)
        );
-- table patient_retirements on patient_retirements
CREATE TABLE patient_retirements (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            signed_by TEXT NOT NULL,
            signed_at TEXT NOT NULL
        );
-- table patients on patients
CREATE TABLE patients (
            id INTEGER PRIMARY KEY,
            mrn TEXT NOT NULL UNIQUE,
            family_name TEXT NOT NULL,
            given_name TEXT,
            birth_date TEXT,
            sex TEXT,
            menopausal_status TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
-- table patients_fts on patients_fts
CREATE VIRTUAL TABLE patients_fts USING fts5 (
            name_key, content = 'patient_keys', content_rowid = 'patient_id',
            tokenize = 'ascii', prefix = '1 2 3'
        );
-- table patients_fts_config on patients_fts_config
CREATE TABLE 'patients_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table patients_fts_data on patients_fts_data
CREATE TABLE 'patients_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table patients_fts_docsize on patients_fts_docsize
CREATE TABLE 'patients_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table patients_fts_idx on patients_fts_idx
CREATE TABLE 'patients_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table patients_mrn_fts on patients_mrn_fts
CREATE VIRTUAL TABLE patients_mrn_fts USING fts5 (
            mrn_key, content = 'patient_keys', content_rowid = 'patient_id', tokenize = 'trigram'
        );
-- table patients_mrn_fts_config on patients_mrn_fts_config
CREATE TABLE 'patients_mrn_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table patients_mrn_fts_data on patients_mrn_fts_data
CREATE TABLE 'patients_mrn_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table patients_mrn_fts_docsize on patients_mrn_fts_docsize
CREATE TABLE 'patients_mrn_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table patients_mrn_fts_idx on patients_mrn_fts_idx
CREATE TABLE 'patients_mrn_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table plans on plans
CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            plan_json TEXT NOT NULL,
            pdf_sha256 TEXT CHECK (pdf_sha256 IS NULL OR length(pdf_sha256) = 64),
            rules_version TEXT NOT NULL,
            settings_json TEXT NOT NULL,
            made_by TEXT NOT NULL,
            made_at TEXT NOT NULL
        );
-- table review_changes on review_changes
CREATE TABLE review_changes (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            plan_id INTEGER REFERENCES plans (id),
            due_on TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
-- table treatment_courses on treatment_courses
CREATE TABLE treatment_courses (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            plan_id INTEGER NOT NULL REFERENCES plans (id),
            regimen TEXT NOT NULL,
            drugs_json TEXT NOT NULL,
            cycle_days INTEGER NOT NULL CHECK (cycle_days BETWEEN 1 AND 366),
            started_on TEXT NOT NULL,
            started_by TEXT NOT NULL,
            started_at TEXT NOT NULL
        );
-- table worklist on worklist
CREATE TABLE worklist (
            patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
            last_assessed_on TEXT,
            review_due_on TEXT,
            review_plan_id INTEGER,
            open_alerts INTEGER NOT NULL DEFAULT 0,
            alert_codes TEXT
        , review_why TEXT, review_reasons TEXT);
-- trigger alert_acknowledgements_are_immutable on alert_acknowledgements
CREATE TRIGGER alert_acknowledgements_are_immutable
        BEFORE UPDATE ON alert_acknowledgements
        BEGIN
            SELECT RAISE(ABORT, 'acknowledgements are immutable: acknowledge again instead');
        END;
-- trigger alert_acknowledgements_are_kept on alert_acknowledgements
CREATE TRIGGER alert_acknowledgements_are_kept BEFORE DELETE ON alert_acknowledgements
        BEGIN
            SELECT RAISE(ABORT, 'acknowledgements are kept and cannot be deleted');
        END;
-- trigger assessment_amendments_are_immutable on assessment_amendments
CREATE TRIGGER assessment_amendments_are_immutable BEFORE UPDATE ON assessment_amendments
        BEGIN
            SELECT RAISE(ABORT, 'amendments are kept: amend again instead');
        END;
-- trigger assessment_amendments_are_kept on assessment_amendments
CREATE TRIGGER assessment_amendments_are_kept BEFORE DELETE ON assessment_amendments
        BEGIN
            SELECT RAISE(ABORT, 'amendments are kept and cannot be deleted');
        END;
-- trigger audit_log_no_delete on audit_log
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
-- trigger audit_log_no_update on audit_log
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
-- trigger course_cycles_are_immutable on course_cycles
CREATE TRIGGER course_cycles_are_immutable BEFORE UPDATE ON course_cycles
        BEGIN
            SELECT RAISE(ABORT, 'cycles given are immutable');
        END;
-- trigger course_cycles_are_kept on course_cycles
CREATE TRIGGER course_cycles_are_kept BEFORE DELETE ON course_cycles
        BEGIN
            SELECT RAISE(ABORT, 'cycles given are kept and cannot be deleted');
        END;
-- trigger course_day_doses_are_immutable on course_day_doses
CREATE TRIGGER course_day_doses_are_immutable BEFORE UPDATE ON course_day_doses
        BEGIN
            SELECT RAISE(ABORT, 'doses given are immutable');
        END;
-- trigger course_day_doses_are_kept on course_day_doses
CREATE TRIGGER course_day_doses_are_kept BEFORE DELETE ON course_day_doses
        BEGIN
            SELECT RAISE(ABORT, 'doses given are kept and cannot be deleted');
        END;
-- trigger course_reviews_are_immutable on course_reviews
CREATE TRIGGER course_reviews_are_immutable BEFORE UPDATE ON course_reviews
        BEGIN
            SELECT RAISE(ABORT, 'cycle reviews are immutable: review again instead');
        END;
-- trigger course_reviews_are_kept on course_reviews
CREATE TRIGGER course_reviews_are_kept BEFORE DELETE ON course_reviews
        BEGIN
            SELECT RAISE(ABORT, 'cycle reviews are kept and cannot be deleted');
        END;
-- trigger course_stops_are_immutable on course_stops
CREATE TRIGGER course_stops_are_immutable BEFORE UPDATE ON course_stops
        BEGIN
            SELECT RAISE(ABORT, 'a course stop is immutable');
        END;
-- trigger course_stops_are_kept on course_stops
CREATE TRIGGER course_stops_are_kept BEFORE DELETE ON course_stops
        BEGIN
            SELECT RAISE(ABORT, 'a course stop is kept and cannot be deleted');
        END;
-- trigger patient_keys_delete on patient_keys
CREATE TRIGGER patient_keys_delete AFTER DELETE ON patient_keys
        BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, name_key)
                VALUES ('delete', old.patient_id, old.name_key);
            INSERT INTO patients_mrn_fts (patients_mrn_fts, rowid, mrn_key)
                VALUES ('delete', old.patient_id, old.mrn_key);
        END;
-- trigger patient_keys_insert on patient_keys
CREATE TRIGGER patient_keys_insert AFTER INSERT ON patient_keys
        BEGIN
            INSERT INTO patients_fts (rowid, name_key) VALUES (new.patient_id, new.name_key);
            INSERT INTO patients_mrn_fts (rowid, mrn_key) VALUES (new.patient_id, new.mrn_key);
        END;
-- trigger patient_keys_update on patient_keys
CREATE TRIGGER patient_keys_update AFTER UPDATE ON patient_keys
        BEGIN
            INSERT INTO patients_fts (patients_fts, rowid, name_key)
                VALUES ('delete', old.patient_id, old.name_key);
            INSERT INTO patients_mrn_fts (patients_mrn_fts, rowid, mrn_key)
                VALUES ('delete', old.patient_id, old.mrn_key);
            INSERT INTO patients_fts (rowid, name_key) VALUES (new.patient_id, new.name_key);
            INSERT INTO patients_mrn_fts (rowid, mrn_key) VALUES (new.patient_id, new.mrn_key);
        END;
-- trigger patient_merges_are_immutable on patient_merges
CREATE TRIGGER patient_merges_are_immutable BEFORE UPDATE ON patient_merges
        BEGIN
            SELECT RAISE(ABORT, 'merges are kept and cannot be changed');
        END;
-- trigger patient_merges_are_kept on patient_merges
CREATE TRIGGER patient_merges_are_kept BEFORE DELETE ON patient_merges
        BEGIN
            SELECT RAISE(ABORT, 'merges are kept and cannot be deleted');
        END;
-- trigger patient_retirements_are_immutable on patient_retirements
CREATE TRIGGER patient_retirements_are_immutable BEFORE UPDATE ON patient_retirements
        BEGIN
            SELECT RAISE(ABORT, 'retirements are kept: retire or restore again instead');
        END;
-- trigger patient_retirements_are_kept on patient_retirements
CREATE TRIGGER patient_retirements_are_kept BEFORE DELETE ON patient_retirements
        BEGIN
            SELECT RAISE(ABORT, 'retirements are kept and cannot be deleted');
        END;
-- trigger plans_are_immutable on plans
CREATE TRIGGER plans_are_immutable BEFORE UPDATE ON plans
        BEGIN
            SELECT RAISE(ABORT, 'plans are immutable: make a new plan instead');
        END;
-- trigger plans_are_kept on plans
CREATE TRIGGER plans_are_kept BEFORE DELETE ON plans
        BEGIN
            SELECT RAISE(ABORT, 'plans are immutable and cannot be deleted');
        END;
-- trigger review_changes_are_immutable on review_changes
CREATE TRIGGER review_changes_are_immutable BEFORE UPDATE ON review_changes
        BEGIN
            SELECT RAISE(ABORT, 'review date changes are kept: change the date again instead');
        END;
-- trigger review_changes_are_kept on review_changes
CREATE TRIGGER review_changes_are_kept BEFORE DELETE ON review_changes
        BEGIN
            SELECT RAISE(ABORT, 'review date changes are kept and cannot be deleted');
        END;
-- trigger treatment_courses_are_immutable on treatment_courses
CREATE TRIGGER treatment_courses_are_immutable BEFORE UPDATE ON treatment_courses
        BEGIN
            SELECT RAISE(ABORT, 'treatment courses are immutable: record a new event instead');
        END;
-- trigger treatment_courses_are_kept on treatment_courses
CREATE TRIGGER treatment_courses_are_kept BEFORE DELETE ON treatment_courses
        BEGIN
            SELECT RAISE(ABORT, 'treatment courses are kept and cannot be deleted');
        END;
-- trigger worklist_assessed on assessments
CREATE TRIGGER worklist_assessed AFTER INSERT ON assessments
        BEGIN
            UPDATE worklist SET last_assessed_on = new.assessed_on
            WHERE patient_id = new.patient_id
                AND (last_assessed_on IS NULL OR last_assessed_on < new.assessed_on);
        END;
-- trigger worklist_patient on patients
CREATE TRIGGER worklist_patient AFTER INSERT ON patients
        BEGIN
            INSERT INTO worklist (patient_id) VALUES (new.id);
        END;
