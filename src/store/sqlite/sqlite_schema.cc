#include "store/sqlite/sqlite_schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace kefu::store::sqlite {
namespace {

// Append only: never edit a migration that has shipped.
constexpr const char* kMigrations[] = {
    // 1: tenants, credentials, tokens, custom roles, agents.
    R"sql(
CREATE TABLE tenants (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  time_zone  INTEGER NOT NULL,            -- offset east of UTC, seconds
  status     TEXT    NOT NULL DEFAULT 'Enable',
  created_at INTEGER NOT NULL
);
CREATE TABLE credentials (
  client_id   TEXT    PRIMARY KEY,
  tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
  secret_hash BLOB    NOT NULL,           -- SHA-256 of the secretId
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX credentials_by_tenant ON credentials(tenant_id);
CREATE TABLE tokens (
  token_hash BLOB    PRIMARY KEY,         -- SHA-256 of the token
  client_id  TEXT    NOT NULL REFERENCES credentials(client_id),
  tenant_id  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tokens_by_client ON tokens(client_id, expires_at);
CREATE TABLE custom_roles (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
  name        TEXT    NOT NULL,
  description TEXT,
  created_at  INTEGER NOT NULL,           -- millis
  updated_at  INTEGER NOT NULL,           -- millis
  status      TEXT    NOT NULL DEFAULT 'ENABLE',
  UNIQUE (tenant_id, name)
);
-- Custom role ids start at 3: 1 and 2 are the system roles of every tenant.
INSERT INTO sqlite_sequence(name, seq) VALUES ('custom_roles', 2);
CREATE TABLE agents (
  id             INTEGER PRIMARY KEY,
  user_id        TEXT    NOT NULL UNIQUE,
  tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
  username       TEXT    NOT NULL,
  username_key   TEXT    NOT NULL UNIQUE, -- lowered: unique across tenants without case
  nicename       TEXT    NOT NULL,
  password_hash  TEXT    NOT NULL,
  true_name      TEXT    NOT NULL DEFAULT '',
  mobile_phone   TEXT    NOT NULL DEFAULT '',
  agent_number   TEXT    NOT NULL DEFAULT '',
  role_id        INTEGER NOT NULL,
  max_sessions   INTEGER NOT NULL,
  enabled        INTEGER NOT NULL,
  state          TEXT    NOT NULL DEFAULT 'Offline',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX agents_by_tenant_order ON agents(tenant_id, created_at, username_key);
CREATE INDEX agents_enabled_admins ON agents(tenant_id) WHERE enabled = 1 AND role_id = 1;
)sql",
    // 2: history sessions, what they refer to, and their indexes.
    R"sql(
CREATE TABLE channels (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  id        INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  name      TEXT    NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE TABLE queues (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  id        INTEGER NOT NULL,
  name      TEXT    NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE TABLE summary_tags (               -- session tags: a tree per tenant
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  id        INTEGER NOT NULL,
  parent_id INTEGER NOT NULL,             -- 0 at a root
  name      TEXT    NOT NULL,
  color     INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE TABLE enquiry_tags (               -- satisfaction tags
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  id        INTEGER NOT NULL,
  name      TEXT    NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

-- One row per session. Names, visitors, customers and the agents who served
-- are kept inside `item_values` as they were when the session happened, so
-- history survives renames and deleted agents.
CREATE TABLE sessions (
  id                  INTEGER PRIMARY KEY,
  tenant_id           INTEGER NOT NULL REFERENCES tenants(id),
  session_id          TEXT    NOT NULL UNIQUE,   -- serviceSessionId
  state               INTEGER NOT NULL,          -- 0 Wait, 1 Processing, 2 Terminal, 3 Abort
  origin_mask         INTEGER NOT NULL,
  tech_channel_id     INTEGER,
  tech_channel_type   TEXT,
  queue_id            INTEGER,
  agent_user_id       TEXT,
  transfered          INTEGER NOT NULL,
  from_agent_callback INTEGER NOT NULL,
  enquiry_summary     INTEGER NOT NULL,          -- 0: not rated
  created_at          INTEGER,                   -- UTC seconds
  started_at          INTEGER,
  stopped_at          INTEGER,
  customer_names      TEXT    NOT NULL           -- lowered, for customerName
);
-- The item as a JSON array of its values, apart from the filtered columns so
-- those stay narrow (ten times as many rows per page while filtering).
CREATE TABLE session_values (
  id          INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  item_values TEXT NOT NULL
);
-- Sessions per tenant, state and which times are null (bit 1 created, 2
-- started, 4 stopped): total_entries without counting rows when only the
-- state is filtered. Kept in the same transaction as the sessions.
CREATE TABLE session_counts (
  tenant_id INTEGER NOT NULL,
  state     INTEGER NOT NULL,
  nulls     INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, state, nulls)
) WITHOUT ROWID;
-- One index per sort field, in sort order; `state` rides along so counting
-- and skipping to a deep page never read the table rows.
CREATE INDEX sessions_by_stop   ON sessions(tenant_id, stopped_at, session_id, state);
CREATE INDEX sessions_by_start  ON sessions(tenant_id, started_at, session_id, state);
CREATE INDEX sessions_by_create ON sessions(tenant_id, created_at, session_id, state);
CREATE INDEX sessions_processing ON sessions(tenant_id, agent_user_id) WHERE state = 1;

-- agentUserSet, summarys leaves and enquiryTags, for their filters.
CREATE TABLE session_agents (
  tenant_id  INTEGER NOT NULL,
  agent_id   TEXT    NOT NULL,
  session    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, agent_id, session)
) WITHOUT ROWID;
CREATE INDEX session_agents_by_session ON session_agents(session);
CREATE TABLE session_summaries (
  tenant_id  INTEGER NOT NULL,
  summary_id INTEGER NOT NULL,
  session    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, summary_id, session)
) WITHOUT ROWID;
CREATE INDEX session_summaries_by_session ON session_summaries(session);
CREATE TABLE session_enquiry_tags (
  tenant_id  INTEGER NOT NULL,
  tag_id     INTEGER NOT NULL,
  session    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, tag_id, session)
) WITHOUT ROWID;
CREATE INDEX session_enquiry_tags_by_session ON session_enquiry_tags(session);

-- customerName substrings of three characters or more, without a scan.
CREATE VIRTUAL TABLE session_names USING fts5(names, tokenize = 'trigram case_sensitive 1');
)sql",
    // 3: sessions per hour of each time field and state, so total_entries of a
    // time range is a sum of whole hours plus the two partial ones at its ends.
    R"sql(
CREATE TABLE session_hour_counts (
  tenant_id INTEGER NOT NULL,
  field     INTEGER NOT NULL,             -- 0 created_at, 1 started_at, 2 stopped_at
  state     INTEGER NOT NULL,
  hour      INTEGER NOT NULL,             -- floor(UTC seconds / 3600)
  n         INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, field, state, hour)
) WITHOUT ROWID;
INSERT INTO session_hour_counts
  SELECT tenant_id, 0, state, (created_at - ((created_at % 3600) + 3600) % 3600) / 3600, count(*)
  FROM sessions WHERE created_at IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO session_hour_counts
  SELECT tenant_id, 1, state, (started_at - ((started_at % 3600) + 3600) % 3600) / 3600, count(*)
  FROM sessions WHERE started_at IS NOT NULL GROUP BY 1, 2, 3, 4;
INSERT INTO session_hour_counts
  SELECT tenant_id, 2, state, (stopped_at - ((stopped_at % 3600) + 3600) % 3600) / 3600, count(*)
  FROM sessions WHERE stopped_at IS NOT NULL GROUP BY 1, 2, 3, 4;
)sql",
    // 4: what the agent search matches, lowered once (SQLite's lower() folds
    // ASCII only, as the search does) and joined by U+001F.
    R"sql(
ALTER TABLE agents ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE agents SET search_text = lower(username || char(31) || true_name || char(31) ||
                                      mobile_phone || char(31) || agent_number);
-- In search order and covering: matching reads no table row.
CREATE INDEX agents_search ON agents(tenant_id, created_at, username_key, search_text);
)sql",
    // 5: a tenant's agents_version moves with every change to its agents, in
    // the same transaction (triggers, so no write path can miss it). Read with
    // each token, it tells a cached roster whether it is still current.
    R"sql(
ALTER TABLE tenants ADD COLUMN agents_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER agents_version_insert AFTER INSERT ON agents BEGIN
  UPDATE tenants SET agents_version = agents_version + 1 WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER agents_version_update AFTER UPDATE ON agents BEGIN
  UPDATE tenants SET agents_version = agents_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
END;
CREATE TRIGGER agents_version_delete AFTER DELETE ON agents BEGIN
  UPDATE tenants SET agents_version = agents_version + 1 WHERE id = OLD.tenant_id;
END;
)sql",
    // 6: an agent's sessions carry their state, times and serviceSessionId, in
    // three indexes in sort order, and are counted per agent, state and null
    // times: a query naming one agent and nothing else reads its page from an
    // index and its total from session_agent_counts, however many sessions
    // the agent has (it read and sorted every one of them). Rebuilt by copying
    // in key order, which is faster than updating ten million rows in place.
    R"sql(
CREATE TABLE session_agents_v6 (
  tenant_id  INTEGER NOT NULL,
  agent_id   TEXT    NOT NULL,
  session    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  state      INTEGER NOT NULL,
  created_at INTEGER,
  started_at INTEGER,
  stopped_at INTEGER,
  session_id TEXT    NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, session)
) WITHOUT ROWID;
INSERT INTO session_agents_v6
  SELECT a.tenant_id, a.agent_id, a.session, s.state, s.created_at, s.started_at, s.stopped_at,
         s.session_id
  FROM session_agents a JOIN sessions s ON s.id = a.session
  ORDER BY a.tenant_id, a.agent_id, a.session;
DROP TABLE session_agents;
ALTER TABLE session_agents_v6 RENAME TO session_agents;
CREATE INDEX session_agents_by_session ON session_agents(session);
CREATE INDEX session_agents_by_stop   ON session_agents(tenant_id, agent_id, stopped_at, session_id, state);
CREATE INDEX session_agents_by_start  ON session_agents(tenant_id, agent_id, started_at, session_id, state);
CREATE INDEX session_agents_by_create ON session_agents(tenant_id, agent_id, created_at, session_id, state);
CREATE TABLE session_agent_counts (
  tenant_id INTEGER NOT NULL,
  agent_id  TEXT    NOT NULL,
  state     INTEGER NOT NULL,
  nulls     INTEGER NOT NULL,             -- as in session_counts
  n         INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, state, nulls)
) WITHOUT ROWID;
INSERT INTO session_agent_counts
  SELECT tenant_id, agent_id, state,
         (created_at IS NULL) | ((started_at IS NULL) << 1) | ((stopped_at IS NULL) << 2), count(*)
  FROM session_agents GROUP BY 1, 2, 3, 4;
-- Replacing a session used to take the wrong row of session_counts off when
-- a time of the old one was null (| and << share one precedence in SQLite),
-- so the counts are recounted once.
DELETE FROM session_counts;
INSERT INTO session_counts
  SELECT tenant_id, state,
         (created_at IS NULL) | ((started_at IS NULL) << 1) | ((stopped_at IS NULL) << 2), count(*)
  FROM sessions GROUP BY 1, 2, 3;
)sql",
    // 7: agents' own tokens (LIVE §4), digests as the tenants' are.
    R"sql(
CREATE TABLE agent_tokens (
  token_hash BLOB    PRIMARY KEY,         -- SHA-256 of the token
  tenant_id  INTEGER NOT NULL,
  user_id    TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX agent_tokens_by_agent ON agent_tokens(user_id, expires_at);
)sql",
    // 8: skill groups (LIVE §1) are the rows of `queues` (the catalog the
    // history names them by), and now have member agents.
    R"sql(
CREATE TABLE queue_members (
  tenant_id INTEGER NOT NULL,
  queue_id  INTEGER NOT NULL,
  user_id   TEXT    NOT NULL,
  PRIMARY KEY (tenant_id, queue_id, user_id)
) WITHOUT ROWID;
CREATE INDEX queue_members_by_agent ON queue_members(user_id);
)sql",
    // 9: channels (LIVE §1) are the rows of `channels`, with what a visitor's
    // entry needs: the originType it gives, a skill group, a public key (a
    // random UUID) and an identity secret (none until an admin makes one).
    R"sql(
ALTER TABLE channels ADD COLUMN origin_type TEXT NOT NULL DEFAULT 'webim';
ALTER TABLE channels ADD COLUMN queue_id INTEGER;
ALTER TABLE channels ADD COLUMN channel_key TEXT;
ALTER TABLE channels ADD COLUMN secret TEXT;
UPDATE channels SET origin_type = CASE type WHEN 'weixin' THEN 'weixin' WHEN 'weibo' THEN 'weibo'
                                            WHEN 'phone' THEN 'phone' ELSE 'webim' END,
                    channel_key = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||
                                        substr(hex(randomblob(2)), 2) || '-' ||
                                        substr('89ab', 1 + abs(random() % 4), 1) ||
                                        substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX channels_by_key ON channels(channel_key);
)sql",
    // 10: a tenant's options for live service (LIVE §5); no row: the defaults.
    R"sql(
CREATE TABLE tenant_options (
  tenant_id               INTEGER PRIMARY KEY REFERENCES tenants(id),
  default_queue_id        INTEGER,
  wait_timeout_seconds    INTEGER,
  idle_close_seconds      INTEGER,
  offline_grace_seconds   INTEGER NOT NULL,
  enquiry_invite_on_close INTEGER NOT NULL,
  agents_set_own_capacity INTEGER NOT NULL,
  greeting                TEXT,
  off_duty_message        TEXT
);
)sql",
    // 11: visitors (LIVE §1), each with its customer and its one thread
    // (chat_group_id, last_seq), and their tokens, digests as every token.
    R"sql(
CREATE TABLE visitors (
  user_id       TEXT    PRIMARY KEY,
  tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
  channel_id    INTEGER NOT NULL,
  username      TEXT    NOT NULL,
  identity      TEXT,                     -- the signed username; NULL: anonymous
  nicename      TEXT    NOT NULL,
  customer_id   TEXT    NOT NULL,
  chat_group_id INTEGER NOT NULL UNIQUE,
  last_seq      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX visitors_by_identity ON visitors(tenant_id, channel_id, identity) WHERE identity IS NOT NULL;
CREATE TABLE visitor_tokens (
  token_hash BLOB    PRIMARY KEY,         -- SHA-256 of the token
  tenant_id  INTEGER NOT NULL,
  user_id    TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX visitor_tokens_by_visitor ON visitor_tokens(user_id, expires_at);
)sql",
    // 12: live sessions (LIVE §2: the state machine's fields; each change
    // also rewrites the session's history row) and the threads' messages.
    // Times in UTC milliseconds.
    R"sql(
CREATE TABLE live_sessions (
  session_id          TEXT    PRIMARY KEY,
  tenant_id           INTEGER NOT NULL,
  visitor_id          TEXT    NOT NULL,
  chat_group_id       INTEGER NOT NULL,
  channel_id          INTEGER NOT NULL,
  state               INTEGER NOT NULL,   -- 0 Wait, 1 Processing, 2 Terminal, 3 Abort
  queue_id            INTEGER,
  agent_user_id       TEXT,
  queued_at           INTEGER NOT NULL,   -- first in, first out
  arrival             INTEGER NOT NULL,   -- order of first insert: ties of queued_at
  created_at          INTEGER NOT NULL,
  started_at          INTEGER,
  stopped_at          INTEGER,
  agent_user_set      TEXT    NOT NULL DEFAULT '',  -- userIds in order, ','-joined
  transfered          INTEGER NOT NULL DEFAULT 0,
  from_agent_callback INTEGER NOT NULL DEFAULT 0,
  last_seq            INTEGER NOT NULL DEFAULT 0,
  agent_last_message_at INTEGER,
  agent_read_seq      INTEGER NOT NULL DEFAULT 0,  -- its agent has read up to here
  summary_ids         TEXT    NOT NULL DEFAULT '', -- session tags (leaves), ','-joined
  comment             TEXT,
  enquiry_invited     INTEGER NOT NULL DEFAULT 0,
  enquiry_summary     INTEGER NOT NULL DEFAULT 0,  -- 0: not rated
  enquiry_detail      TEXT,
  enquiry_tag_ids     TEXT    NOT NULL DEFAULT '', -- ','-joined
  summarys            TEXT,                        -- the item's summarys (JSON) and names, as
  summarys_detail     TEXT,                        -- they were when the tags were set
  enquiry_tag_names   TEXT
) WITHOUT ROWID;
-- At most one open session per thread.
CREATE UNIQUE INDEX live_sessions_open ON live_sessions(chat_group_id) WHERE state IN (0, 1);
CREATE INDEX live_sessions_waiting ON live_sessions(tenant_id, queue_id, queued_at, arrival) WHERE state = 0;
CREATE UNIQUE INDEX live_sessions_by_arrival ON live_sessions(arrival);
CREATE INDEX live_sessions_processing ON live_sessions(tenant_id, agent_user_id) WHERE state = 1;
CREATE TABLE messages (
  chat_group_id INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  session_id    TEXT    NOT NULL,
  sender        TEXT    NOT NULL,         -- visitor, system, or agent:<userId>
  type          TEXT    NOT NULL,         -- txt, img, file
  msg           TEXT,
  media_id      TEXT,
  filename      TEXT,
  size          INTEGER,
  msg_id        TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (chat_group_id, seq)
) WITHOUT ROWID;
-- A sender's msgId is stored once per thread.
CREATE UNIQUE INDEX messages_by_msg_id ON messages(chat_group_id, sender, msg_id) WHERE msg_id IS NOT NULL;
)sql"
};

Result<int64_t> UserVersion(Connection& conn) {
  auto stmt = conn.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  if (!(*stmt)->Step()) return (*stmt)->status().ok() ? Error(Code::kInternal, "no user_version") : (*stmt)->status();
  return (*stmt)->Int(0);
}

}  // namespace

Status Migrate(Connection& conn) { return MigrateTo(conn, static_cast<int64_t>(std::size(kMigrations))); }

Status MigrateTo(Connection& conn, int64_t latest) {
  latest = std::min(latest, static_cast<int64_t>(std::size(kMigrations)));
  auto current = UserVersion(conn);
  if (!current.ok()) return current.status();
  if (*current == latest) return Status::Ok();

  Transaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  current = UserVersion(conn);  // again, under the write lock
  if (!current.ok()) return current.status();
  if (*current > latest) {
    return Error(Code::kStoreUnavailable,
                 fmt::format("database schema version {} is newer than this kefud ({})", *current,
                             latest));
  }
  for (int64_t v = *current; v < latest; ++v) {
    KEFU_RETURN_IF_ERROR(conn.Exec(kMigrations[v]));
  }
  KEFU_RETURN_IF_ERROR(conn.Exec(fmt::format("PRAGMA user_version = {}", latest).c_str()));
  return tx.Commit();
}

}  // namespace kefu::store::sqlite
