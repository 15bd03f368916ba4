// Live conversations (LIVE §1, §2) on PostgreSQL: ConversationStore's
// methods, over `live_sessions`, `messages` and the visitor's row (its
// thread's last seq). A write locks the visitor's row first (FOR UPDATE),
// so writes to one thread take turns on every instance.
#include "store/joined_ids.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

const std::string kLiveSelect =
    "SELECT session_id, tenant_id, visitor_id, chat_group_id, channel_id, state, queue_id, agent_user_id, "
    "queued_at, created_at, started_at, stopped_at, agent_user_set, transfered, from_agent_callback, "
    "last_seq, agent_last_message_at FROM live_sessions ";

const std::string kMessageSelect =
    "SELECT chat_group_id, seq, session_id, sender, type, msg, media_id, filename, size, msg_id, created_at "
    "FROM messages ";

LiveSession ReadLive(const PgResult& r, int row) {
  LiveSession l;
  l.session_id = r.Text(row, 0);
  l.tenant_id = r.Int(row, 1);
  l.visitor_id = r.Text(row, 2);
  l.chat_group_id = r.Int(row, 3);
  l.channel_id = r.Int(row, 4);
  l.state = static_cast<SessionState>(r.Int(row, 5));
  l.queue_id = r.OptionalInt(row, 6);
  l.agent_user_id = r.OptionalText(row, 7);
  l.queued_at = r.Int(row, 8);
  l.created_at = r.Int(row, 9);
  l.started_at = r.OptionalInt(row, 10);
  l.stopped_at = r.OptionalInt(row, 11);
  l.agent_user_set = SplitIds(r.Text(row, 12));
  l.transfered = r.Bool(row, 13);
  l.from_agent_callback = r.Bool(row, 14);
  l.last_seq = r.Int(row, 15);
  l.agent_last_message_at = r.OptionalInt(row, 16);
  return l;
}

Message ReadMessage(const PgResult& r, int row) {
  Message m;
  m.chat_group_id = r.Int(row, 0);
  m.seq = r.Int(row, 1);
  m.session_id = r.Text(row, 2);
  const std::string sender = r.Text(row, 3);
  if (sender.rfind("agent:", 0) == 0) {
    m.from = "agent";
    m.from_user_id = sender.substr(6);
  } else {
    m.from = sender;
  }
  m.type = r.Text(row, 4);
  m.msg = r.OptionalText(row, 5);
  m.media_id = r.OptionalText(row, 6);
  m.filename = r.OptionalText(row, 7);
  m.size = r.OptionalInt(row, 8);
  m.msg_id = r.OptionalText(row, 9);
  m.created_at = r.Int(row, 10);
  return m;
}

std::string SenderOf(const Message& m) { return m.from == "agent" ? "agent:" + m.from_user_id.value_or("") : m.from; }

Status WriteLive(PgConnection& conn, const LiveSession& l) {
  KEFU_PG_EXEC(w, conn,
               "INSERT INTO live_sessions(session_id, tenant_id, visitor_id, chat_group_id, channel_id, state, "
               "queue_id, agent_user_id, queued_at, created_at, started_at, stopped_at, agent_user_set, transfered, "
               "from_agent_callback, last_seq, agent_last_message_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
               "ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, queue_id = excluded.queue_id, "
               "agent_user_id = excluded.agent_user_id, queued_at = excluded.queued_at, "
               "started_at = excluded.started_at, stopped_at = excluded.stopped_at, "
               "agent_user_set = excluded.agent_user_set, transfered = excluded.transfered, "
               "from_agent_callback = excluded.from_agent_callback, last_seq = excluded.last_seq, "
               "agent_last_message_at = excluded.agent_last_message_at",
               {P(l.session_id), P(l.tenant_id), P(l.visitor_id), P(l.chat_group_id), P(l.channel_id),
                P(static_cast<int64_t>(l.state)), P(l.queue_id), P(l.agent_user_id), P(l.queued_at),
                P(l.created_at), P(l.started_at), P(l.stopped_at), P(JoinIds(l.agent_user_set)),
                P(l.transfered ? "true" : "false"), P(l.from_agent_callback ? "true" : "false"), P(l.last_seq),
                P(l.agent_last_message_at)});
  return Status::Ok();
}

Status InsertMessage(PgConnection& conn, const Message& m) {
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO messages(chat_group_id, seq, session_id, sender, type, msg, media_id, filename, size, "
               "msg_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
               {P(m.chat_group_id), P(m.seq), P(m.session_id), P(SenderOf(m)), P(m.type), P(m.msg), P(m.media_id),
                P(m.filename), P(m.size), P(m.msg_id), P(m.created_at)});
  return Status::Ok();
}

Result<std::optional<LiveSession>> OpenSessionOf(PgConnection& conn, int64_t chat_group_id) {
  KEFU_PG_EXEC(r, conn, kLiveSelect + "WHERE chat_group_id = $1 AND state IN (0, 1)", {P(chat_group_id)});
  if (r.rows() == 0) return std::optional<LiveSession>();
  return std::optional<LiveSession>(ReadLive(r, 0));
}

// Locks the visitor's row (writes to its thread take turns) and answers its
// thread's last seq; kBadToken if the visitor is gone.
Result<int64_t> LockThread(PgConnection& conn, const VisitorGrant& visitor) {
  KEFU_PG_EXEC(r, conn, "SELECT last_seq FROM visitors WHERE user_id = $1 AND tenant_id = $2 FOR UPDATE",
               {P(visitor.user_id), P(visitor.tenant_id)});
  if (r.rows() == 0) return Error(Code::kBadToken, "the visitor is gone");
  return r.Int(0, 0);
}

Status SaveSession(PgConnection& conn, const LiveSession& l, const SessionRenderer& render) {
  KEFU_RETURN_IF_ERROR(WriteLive(conn, l));
  return PgStore::PutHistoryRows(conn, l.tenant_id, {render(l)}, nullptr);
}

}  // namespace

Result<AppendedMessage> PgStore::AppendVisitorMessage(const VisitorGrant& visitor, const Message& draft,
                                                      const SessionOpening& opening, int64_t now,
                                                      const SessionRenderer& render) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  auto last = LockThread(conn, visitor);
  if (!last.ok()) return last.status();
  int64_t seq = *last;
  AppendedMessage out;
  if (draft.msg_id) {
    KEFU_PG_EXEC(seen, conn, kMessageSelect + "WHERE chat_group_id = $1 AND sender = 'visitor' AND msg_id = $2",
                 {P(visitor.chat_group_id), P(*draft.msg_id)});
    if (seen.rows() > 0) {
      out.message = ReadMessage(seen, 0);
      out.repeated = true;
      KEFU_PG_EXEC(s, conn, kLiveSelect + "WHERE session_id = $1", {P(out.message.session_id)});
      if (s.rows() == 0) return Error(Code::kInternal, "a message's session is missing");
      out.session = ReadLive(s, 0);
      return out;  // nothing written: the transaction rolls back
    }
  }
  auto open = OpenSessionOf(conn, visitor.chat_group_id);
  if (!open.ok()) return open.status();
  if (*open) {
    out.session = std::move(**open);
  } else {
    out.opened = true;
    LiveSession& l = out.session;
    l.session_id = opening.session_id;
    l.tenant_id = visitor.tenant_id;
    l.visitor_id = visitor.user_id;
    l.chat_group_id = visitor.chat_group_id;
    l.channel_id = visitor.channel_id;
    l.state = SessionState::kWait;
    l.queue_id = opening.queue_id;
    l.queued_at = l.created_at = now;
  }
  out.message = draft;
  out.message.chat_group_id = visitor.chat_group_id;
  out.message.seq = ++seq;
  out.message.session_id = out.session.session_id;
  out.message.from = "visitor";
  out.message.created_at = now;
  KEFU_RETURN_IF_ERROR(InsertMessage(conn, out.message));
  if (out.opened) {
    std::vector<std::string> notes;
    if (opening.greeting) notes.push_back(*opening.greeting);
    if (opening.off_duty_message) {
      KEFU_PG_EXEC(online, conn,
                   "SELECT 1 FROM agents a WHERE a.tenant_id = $1 AND a.enabled AND a.state = 'Online' AND "
                   "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM queue_members m WHERE m.tenant_id = $1 AND "
                   "m.queue_id = $2 AND m.user_id = a.user_id)) LIMIT 1",
                   {P(visitor.tenant_id), P(opening.queue_id)});
      if (online.rows() == 0) notes.push_back(*opening.off_duty_message);
    }
    for (auto& text : notes) {
      Message m;
      m.chat_group_id = visitor.chat_group_id;
      m.seq = ++seq;
      m.session_id = out.session.session_id;
      m.from = "system";
      m.type = "txt";
      m.msg = std::move(text);
      m.created_at = now;
      KEFU_RETURN_IF_ERROR(InsertMessage(conn, m));
      out.system_messages.push_back(std::move(m));
    }
  }
  out.session.last_seq = seq;
  KEFU_PG_EXEC(upd, conn, "UPDATE visitors SET last_seq = $2 WHERE user_id = $1", {P(visitor.user_id), P(seq)});
  KEFU_RETURN_IF_ERROR(SaveSession(conn, out.session, render));
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<Message>> PgStore::ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t limit) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kMessageSelect + "WHERE chat_group_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
               {P(chat_group_id), P(after_seq), P(limit)});
  std::vector<Message> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadMessage(r, i));
  return out;
}

Result<std::optional<LiveSession>> PgStore::FindOpenSession(int64_t chat_group_id) {
  KEFU_PG_ACQUIRE(conn);
  return OpenSessionOf(conn, chat_group_id);
}

Result<int64_t> PgStore::QueuePosition(const LiveSession& l) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT count(*) FROM live_sessions WHERE tenant_id = $1 AND state = 0 AND "
               "queue_id IS NOT DISTINCT FROM $2::bigint AND (queued_at < $3 OR (queued_at = $3 AND session_id < $4))",
               {P(l.tenant_id), P(l.queue_id), P(l.queued_at), P(l.session_id)});
  return r.Int(0, 0) + 1;
}

Result<std::optional<LiveSession>> PgStore::CloseByVisitor(const VisitorGrant& visitor, int64_t now,
                                                           const SessionRenderer& render) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  auto last = LockThread(conn, visitor);
  if (!last.ok()) return last.status();
  auto open = OpenSessionOf(conn, visitor.chat_group_id);
  if (!open.ok()) return open.status();
  if (!*open) return open;
  LiveSession& l = **open;
  l.state = l.agent_user_set.empty() ? SessionState::kAbort : SessionState::kTerminal;
  l.stopped_at = now;
  KEFU_RETURN_IF_ERROR(SaveSession(conn, l, render));
  KEFU_RETURN_IF_ERROR(tx.Commit());
  return open;
}

}  // namespace kefu::store::postgres
