"""Migrations in code: each is SQL applied once, in order, recorded in `PRAGMA user_version`.

Tables are STRICT (a plain INTEGER column would silently keep '12abc' or 12.5). The journal and
its postings are append-only, enforced by triggers, and each insert must continue its group's
hash chain: the database itself refuses edits, deletes, replacements and gaps.
"""

from __future__ import annotations

GENESIS = "0" * 64

_JOURNAL = f"""
CREATE TABLE journal (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  record_type TEXT NOT NULL CHECK (record_type IN ('tx', 'event')),
  date TEXT NOT NULL,
  kind TEXT NOT NULL,
  memo TEXT NOT NULL,
  member_id TEXT,
  meeting_number INTEGER,
  reverses TEXT UNIQUE,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (group_id, seq)
) STRICT;
CREATE INDEX journal_member ON journal (group_id, member_id, kind);
CREATE INDEX journal_meeting ON journal (group_id, meeting_number);

CREATE TABLE postings (
  entry_id TEXT NOT NULL,
  idx INTEGER NOT NULL CHECK (idx >= 0),
  group_id TEXT NOT NULL,
  account TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
  PRIMARY KEY (entry_id, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX postings_account ON postings (group_id, account);

-- Balances kept current by the database, so a balance is one indexed read however long the
-- history. `vsla check` recomputes them from the postings.
CREATE TABLE balances (
  group_id TEXT NOT NULL,
  account TEXT NOT NULL,
  balance_minor INTEGER NOT NULL,
  PRIMARY KEY (group_id, account)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER postings_update_balances AFTER INSERT ON postings
BEGIN
  INSERT INTO balances (group_id, account, balance_minor)
  VALUES (NEW.group_id, NEW.account, NEW.amount_minor)
  ON CONFLICT (group_id, account) DO UPDATE
  SET balance_minor = balance_minor + excluded.balance_minor;
END;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: record a reversal instead'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: record a reversal instead'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: record a reversal instead'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: record a reversal instead'); END;

-- INSERT OR REPLACE deletes the old row without firing DELETE triggers unless
-- recursive_triggers is on; refusing the insert first closes that door on every connection.
CREATE TRIGGER journal_no_replace BEFORE INSERT ON journal
WHEN EXISTS (SELECT 1 FROM journal WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM journal WHERE group_id = NEW.group_id AND seq = NEW.seq)
  OR (NEW.reverses IS NOT NULL
      AND EXISTS (SELECT 1 FROM journal WHERE reverses = NEW.reverses))
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: entry already recorded'); END;

CREATE TRIGGER journal_chain_continues BEFORE INSERT ON journal
WHEN NEW.seq <> COALESCE((SELECT MAX(seq) FROM journal WHERE group_id = NEW.group_id), 0) + 1
  OR NEW.prev_hash <> COALESCE(
       (SELECT hash FROM journal WHERE group_id = NEW.group_id ORDER BY seq DESC LIMIT 1),
       '{GENESIS}')
BEGIN SELECT RAISE(ABORT, 'the entry does not continue its group''s hash chain'); END;

CREATE TRIGGER postings_only_on_newest_entry BEFORE INSERT ON postings
WHEN NOT EXISTS (
  SELECT 1 FROM journal
  WHERE id = NEW.entry_id AND group_id = NEW.group_id AND record_type = 'tx'
    AND seq = (SELECT MAX(seq) FROM journal WHERE group_id = NEW.group_id))
  OR EXISTS (SELECT 1 FROM postings WHERE entry_id = NEW.entry_id AND idx = NEW.idx)
BEGIN SELECT RAISE(ABORT, 'postings may only be added to the newest transaction'); END;
"""

_BOOK = """
CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  country TEXT NOT NULL,
  language TEXT NOT NULL
) STRICT;

CREATE TABLE cycles (
  group_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  start_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  constitution TEXT NOT NULL,
  closed_on TEXT,
  members_at_start INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (group_id, number)
) STRICT;

CREATE TABLE members (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  name TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('F', 'M')),
  phone TEXT,
  shared_phone INTEGER NOT NULL DEFAULT 0,
  language TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'left')),
  joined_on TEXT NOT NULL,
  left_on TEXT,
  PRIMARY KEY (group_id, member_id)
) STRICT;
CREATE INDEX members_phone ON members (phone);

CREATE TABLE roles (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (group_id, role, member_id)
) STRICT;

CREATE TABLE meetings (
  group_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  cycle_number INTEGER NOT NULL,
  date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('regular', 'shareout')),
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opening_loan_fund_minor INTEGER,
  opening_social_fund_minor INTEGER,
  expected_loan_fund_minor INTEGER,
  expected_social_fund_minor INTEGER,
  counted_loan_fund_minor INTEGER,
  counted_social_fund_minor INTEGER,
  reopened INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (group_id, number)
) STRICT;

CREATE TABLE attendance (
  group_id TEXT NOT NULL,
  meeting_number INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('present', 'excused', 'absent', 'proxy')),
  PRIMARY KEY (group_id, meeting_number, member_id)
) STRICT;

CREATE TABLE loans (
  group_id TEXT NOT NULL,
  loan_number INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  cycle_number INTEGER NOT NULL,
  entry_id TEXT NOT NULL,
  disbursed_on TEXT NOT NULL,
  principal_minor INTEGER NOT NULL CHECK (principal_minor > 0),
  method TEXT NOT NULL CHECK (method IN ('declining', 'upfront', 'none')),
  rate_bp INTEGER NOT NULL CHECK (rate_bp >= 0),
  term_months INTEGER NOT NULL CHECK (term_months >= 1),
  due_on TEXT NOT NULL,
  periods_charged INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'repaid', 'written_off', 'reversed')),
  PRIMARY KEY (group_id, loan_number)
) STRICT;
CREATE INDEX loans_member ON loans (group_id, member_id, status);

-- Device-local tables: never synced, never part of the chain.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL,
  member_id TEXT,
  recipient TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  provider_message_id TEXT,
  provider_status TEXT,
  cost TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (status, created_at);

CREATE TABLE meeting_drafts (
  group_id TEXT PRIMARY KEY,
  updated_at TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
"""


_MEETING_GUARD = """
CREATE TRIGGER journal_only_into_open_meeting BEFORE INSERT ON journal
WHEN NEW.record_type = 'tx' AND NEW.meeting_number IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM meetings
  WHERE group_id = NEW.group_id AND number = NEW.meeting_number AND status = 'open')
BEGIN SELECT RAISE(ABORT, 'money is recorded only in an open meeting'); END;
"""

_SMS_OPT_OUT = """
ALTER TABLE members ADD COLUMN sms_opt_out INTEGER NOT NULL DEFAULT 0;
"""

# The same guarantees with one index lookup per check instead of two or three: the chain
# check compares "seq:prev_hash" with the head's "seq+1:hash" in one read, and the
# (group_id, seq) existence check is dropped because a continuing seq cannot exist yet.
_LEANER_GUARDS = f"""
DROP TRIGGER journal_no_replace;
DROP TRIGGER journal_chain_continues;
DROP TRIGGER postings_only_on_newest_entry;

CREATE TRIGGER journal_no_replace BEFORE INSERT ON journal
WHEN EXISTS (SELECT 1 FROM journal WHERE id = NEW.id)
  OR (NEW.reverses IS NOT NULL
      AND EXISTS (SELECT 1 FROM journal WHERE reverses = NEW.reverses))
BEGIN SELECT RAISE(ABORT, 'the journal is append-only: entry already recorded'); END;

CREATE TRIGGER journal_chain_continues BEFORE INSERT ON journal
WHEN NEW.seq || ':' || NEW.prev_hash IS NOT COALESCE(
  (SELECT (seq + 1) || ':' || hash FROM journal
   WHERE group_id = NEW.group_id ORDER BY seq DESC LIMIT 1),
  '1:{GENESIS}')
BEGIN SELECT RAISE(ABORT, 'the entry does not continue its group''s hash chain'); END;

CREATE TRIGGER postings_only_on_newest_entry BEFORE INSERT ON postings
WHEN NEW.entry_id || ':tx' IS NOT (
  SELECT id || ':' || record_type FROM journal
  WHERE group_id = NEW.group_id ORDER BY seq DESC LIMIT 1)
  OR EXISTS (SELECT 1 FROM postings WHERE entry_id = NEW.entry_id AND idx = NEW.idx)
BEGIN SELECT RAISE(ABORT, 'postings may only be added to the newest transaction'); END;
"""

# No query reads the journal by member (balances answer that); the index only slowed appends.
_NO_MEMBER_INDEX = """
DROP INDEX journal_member;
"""

# The hub's own tables: members' access to USSD (PIN, activation codes, the language they chose
# on the phone), USSD sessions and their end reports, and SMS delivery reports. Like the
# outbox they belong to the machine they are on: never in the journal, never synced.
# Receipts are keyed by (group, meeting, member), so one can never be queued twice; a member
# may agree to receive balances in her receipts (`sms_balances`, from the journal).
_HUB = """
CREATE TABLE member_access (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  pin_hash TEXT,
  pin_salt TEXT,
  pin_set_at TEXT,
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until TEXT,
  language TEXT,
  PRIMARY KEY (group_id, member_id)
) STRICT;

CREATE TABLE activation_codes (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  code_salt TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  PRIMARY KEY (group_id, member_id, created_at)
) STRICT;

CREATE TABLE ussd_sessions (
  session_id TEXT PRIMARY KEY,
  phone TEXT NOT NULL,
  service_code TEXT NOT NULL,
  started_at TEXT NOT NULL,
  dialled_ahead INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE ussd_effects (
  session_id TEXT NOT NULL,
  step INTEGER NOT NULL,
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (session_id, step, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE ussd_events (
  session_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL,
  service_code TEXT,
  network_code TEXT,
  cost TEXT,
  duration_ms INTEGER,
  hops INTEGER,
  error TEXT,
  PRIMARY KEY (session_id)
) STRICT;

CREATE TABLE sms_reports (
  message_id TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT,
  received_at TEXT NOT NULL,
  PRIMARY KEY (message_id, status)
) STRICT, WITHOUT ROWID;

ALTER TABLE outbox ADD COLUMN meeting_number INTEGER;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
CREATE UNIQUE INDEX outbox_one_receipt ON outbox (group_id, meeting_number, member_id)
  WHERE meeting_number IS NOT NULL;
CREATE INDEX outbox_provider_id ON outbox (provider_message_id);

ALTER TABLE members ADD COLUMN sms_balances INTEGER NOT NULL DEFAULT 0;
"""

# Sync. On the hub: the devices allowed to push (a token's hash, never the token), which device
# writes each group, and every refused push kept whole for staff. On a device: how far the
# hub has acknowledged each group's chain. None of it is in the journal; none of it is synced.
_SYNC = """
CREATE TABLE devices (
  name TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  added_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

CREATE TABLE group_writers (
  group_id TEXT PRIMARY KEY,
  device TEXT NOT NULL REFERENCES devices (name),
  since TEXT NOT NULL
) STRICT;

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  group_id TEXT NOT NULL,
  device TEXT NOT NULL,
  received_at TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  hub_seq INTEGER NOT NULL,
  first_seq INTEGER,
  entries TEXT NOT NULL
) STRICT;
CREATE INDEX quarantine_group ON quarantine (group_id, received_at);

CREATE TABLE pushes (
  id INTEGER PRIMARY KEY,
  group_id TEXT NOT NULL,
  device TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX pushes_group ON pushes (group_id, last_seq);

CREATE TABLE sync_acks (
  group_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  acked_at TEXT NOT NULL
) STRICT;
"""

# Reports. Figures the SAVIX indicators need, kept by the projections in the same transaction
# as each entry (`vsla check` rebuilds and compares them), so a report over thousands of groups
# reads one row per group instead of replaying journals. A book made before this migration is
# marked, and the book layer rebuilds its figures from the journals when it next opens it.
_REPORTS = """
ALTER TABLE cycles ADD COLUMN women_at_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cycles ADD COLUMN men_at_start INTEGER NOT NULL DEFAULT 0;

-- The group as it stood when each regular meeting closed: counts and money by gender, cash,
-- the counting differences, and the open loans (due date, gender, owed) so that lateness can
-- be judged as of any later date.
CREATE TABLE meeting_figures (
  group_id TEXT NOT NULL,
  meeting_number INTEGER NOT NULL,
  cycle_number INTEGER NOT NULL,
  date TEXT NOT NULL,
  cycle_start TEXT NOT NULL,
  members_at_start_women INTEGER NOT NULL,
  members_at_start_men INTEGER NOT NULL,
  members_women INTEGER NOT NULL,
  members_men INTEGER NOT NULL,
  attending_women INTEGER NOT NULL,
  attending_men INTEGER NOT NULL,
  proxies_women INTEGER NOT NULL,
  proxies_men INTEGER NOT NULL,
  dropouts_women INTEGER NOT NULL,
  dropouts_men INTEGER NOT NULL,
  savings_women_minor INTEGER NOT NULL,
  savings_men_minor INTEGER NOT NULL,
  borrowers_women INTEGER NOT NULL,
  borrowers_men INTEGER NOT NULL,
  loans_women INTEGER NOT NULL,
  loans_men INTEGER NOT NULL,
  loans_women_minor INTEGER NOT NULL,
  loans_men_minor INTEGER NOT NULL,
  write_offs_women_minor INTEGER NOT NULL,
  write_offs_men_minor INTEGER NOT NULL,
  loan_fund_cash_minor INTEGER NOT NULL,
  social_fund_minor INTEGER NOT NULL,
  loan_fund_difference_minor INTEGER NOT NULL,
  social_fund_difference_minor INTEGER NOT NULL,
  open_loans TEXT NOT NULL,
  PRIMARY KEY (group_id, meeting_number)
) STRICT, WITHOUT ROWID;
CREATE INDEX meeting_figures_date ON meeting_figures (group_id, date);

-- Each member's share-out: what she had saved, her gross share, what was deducted, her payout.
CREATE TABLE payouts (
  group_id TEXT NOT NULL,
  cycle_number INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('F', 'M')),
  shares INTEGER NOT NULL,
  savings_minor INTEGER NOT NULL,
  gross_minor INTEGER NOT NULL,
  owed_minor INTEGER NOT NULL,
  payout_minor INTEGER NOT NULL,
  PRIMARY KEY (group_id, cycle_number, member_id)
) STRICT, WITHOUT ROWID;

INSERT INTO settings (key, value)
SELECT 'report_figures', 'rebuild' WHERE EXISTS (SELECT 1 FROM journal);
"""

# Staff accounts for the hub's web pages (programme staff read reports there): who may log in
# (an argon2 hash of the password, never the password), failed log-ins counted per email to
# lock out guessing, and an audit log of what staff did. The hub's own; never synced.
_STAFF = """
CREATE TABLE staff (
  email TEXT PRIMARY KEY CHECK (email = lower(email)),
  role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
  password_hash TEXT NOT NULL,
  language TEXT,
  added_at TEXT NOT NULL,
  disabled_at TEXT
) STRICT;

CREATE TABLE staff_logins (
  email TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failure_at TEXT,
  locked_until TEXT
) STRICT;

CREATE TABLE staff_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  email TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  client TEXT
) STRICT;
CREATE INDEX staff_log_at ON staff_log (at);
"""

MIGRATIONS: tuple[str, ...] = (
    _JOURNAL,
    _BOOK,
    _MEETING_GUARD,
    _SMS_OPT_OUT,
    _LEANER_GUARDS,
    _NO_MEMBER_INDEX,
    _HUB,
    _SYNC,
    _REPORTS,
    _STAFF,
)
