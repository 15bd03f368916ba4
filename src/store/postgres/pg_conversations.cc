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

// ThreadWork inside a transaction of `conn`, the visitor's row locked.
class PgThreadWork final : public ThreadWork {
 public:
  PgThreadWork(PgConnection& conn, const VisitorGrant& visitor, const SessionRenderer& render, int64_t last_seq)
      : conn_(conn), visitor_(visitor), render_(render), last_seq_(last_seq) {}

  Result<std::optional<LiveSession>> OpenSession() override { return OpenSessionOf(conn_, visitor_.chat_group_id); }

  Result<LiveSession> Session(const std::string& session_id) override {
    KEFU_PG_EXEC(r, conn_, kLiveSelect + "WHERE session_id = $1 AND chat_group_id = $2",
                 {P(session_id), P(visitor_.chat_group_id)});
    if (r.rows() == 0) return Error(Code::kNoSuchSession, "no such service session");
    return ReadLive(r, 0);
  }

  Result<std::optional<Message>> VisitorMessage(std::string_view msg_id) override {
    KEFU_PG_EXEC(r, conn_, kMessageSelect + "WHERE chat_group_id = $1 AND sender = 'visitor' AND msg_id = $2",
                 {P(visitor_.chat_group_id), P(msg_id)});
    if (r.rows() == 0) return std::optional<Message>();
    return std::optional<Message>(ReadMessage(r, 0));
  }

  Result<Message> Append(Message m) override {
    m.chat_group_id = visitor_.chat_group_id;
    m.seq = last_seq_ + 1;
    KEFU_RETURN_IF_ERROR(InsertMessage(conn_, m));
    KEFU_PG_EXEC(upd, conn_, "UPDATE visitors SET last_seq = $2 WHERE user_id = $1", {P(visitor_.user_id), P(m.seq)});
    last_seq_ = m.seq;
    return m;
  }

  Result<bool> AnyoneOnline(const std::optional<int64_t>& queue_id) override {
    KEFU_PG_EXEC(r, conn_,
                 "SELECT 1 FROM agents a WHERE a.tenant_id = $1 AND a.enabled AND a.state = 'Online' AND "
                 "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM queue_members m WHERE m.tenant_id = $1 AND "
                 "m.queue_id = $2 AND m.user_id = a.user_id)) LIMIT 1",
                 {P(visitor_.tenant_id), P(queue_id)});
    return r.rows() > 0;
  }

  Status Save(const LiveSession& l) override {
    KEFU_RETURN_IF_ERROR(WriteLive(conn_, l));
    return PgStore::PutHistoryRows(conn_, l.tenant_id, {render_(l)}, nullptr);
  }

 private:
  PgConnection& conn_;
  const VisitorGrant& visitor_;
  const SessionRenderer& render_;
  int64_t last_seq_;
};

}  // namespace

Status PgStore::WithThread(const VisitorGrant& visitor, const SessionRenderer& render, const ThreadWorkFn& work) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // The visitor's row, locked: writes to its thread take turns on every instance.
  KEFU_PG_EXEC(r, conn, "SELECT last_seq FROM visitors WHERE user_id = $1 AND tenant_id = $2 FOR UPDATE",
               {P(visitor.user_id), P(visitor.tenant_id)});
  if (r.rows() == 0) return Error(Code::kBadToken, "the visitor is gone");
  PgThreadWork thread(conn, visitor, render, r.Int(0, 0));
  KEFU_RETURN_IF_ERROR(work(thread));
  return tx.Commit();
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

}  // namespace kefu::store::postgres
