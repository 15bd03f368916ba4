// Live conversations (LIVE §1, §2) on PostgreSQL: ConversationStore's
// methods, over `live_sessions`, `messages` and the visitor's row (its
// thread's last seq). A unit of work locks the visitor's row first (FOR
// UPDATE), so writes to one thread take turns on every instance.
#include "store/bound_lists.h"
#include "store/joined_ids.h"
#include "store/postgres/pg_store.h"

namespace kefu::store::postgres {
namespace {

const std::string kLiveColumns =
    "l.session_id, l.tenant_id, l.visitor_id, l.chat_group_id, l.channel_id, l.state, l.queue_id, l.agent_user_id, "
    "l.queued_at, l.created_at, l.started_at, l.stopped_at, l.agent_user_set, l.transfered, l.from_agent_callback, "
    "l.last_seq, l.agent_last_message_at, l.agent_read_seq, l.summary_ids, l.comment, l.enquiry_invited, "
    "l.enquiry_summary, l.enquiry_detail, l.enquiry_tag_ids, l.summarys, l.summarys_detail, l.enquiry_tag_names ";
const std::string kLiveSelect = "SELECT " + kLiveColumns + "FROM live_sessions l ";
// A live session and its history item's values (column 27).
const std::string kLiveItemSelect = "SELECT " + kLiveColumns +
                                    ", v.item_values FROM live_sessions l JOIN sessions s ON s.session_id = "
                                    "l.session_id JOIN session_values v ON v.id = s.id ";

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
  l.agent_read_seq = r.Int(row, 17);
  l.summary_ids = SplitNumbers(r.Text(row, 18));
  l.comment = r.OptionalText(row, 19);
  l.enquiry_invited = r.Bool(row, 20);
  l.enquiry_summary = static_cast<int>(r.Int(row, 21));
  l.enquiry_detail = r.OptionalText(row, 22);
  l.enquiry_tag_ids = SplitNumbers(r.Text(row, 23));
  l.summarys = r.OptionalText(row, 24);
  l.summarys_detail = r.OptionalText(row, 25);
  l.enquiry_tag_names = r.OptionalText(row, 26);
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

std::vector<LiveItem> ReadItems(const PgResult& r) {
  std::vector<LiveItem> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(LiveItem{ReadLive(r, i), r.Text(i, 27)});
  return out;
}

Status WriteLive(PgConnection& conn, const LiveSession& l) {
  KEFU_PG_EXEC(w, conn,
               "INSERT INTO live_sessions(session_id, tenant_id, visitor_id, chat_group_id, channel_id, state, "
               "queue_id, agent_user_id, queued_at, created_at, started_at, stopped_at, agent_user_set, transfered, "
               "from_agent_callback, last_seq, agent_last_message_at, agent_read_seq, summary_ids, comment, "
               "enquiry_invited, enquiry_summary, enquiry_detail, enquiry_tag_ids, summarys, summarys_detail, "
               "enquiry_tag_names) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
               "$22, $23, $24, $25, $26, $27) "
               "ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, queue_id = excluded.queue_id, "
               "agent_user_id = excluded.agent_user_id, queued_at = excluded.queued_at, "
               "started_at = excluded.started_at, stopped_at = excluded.stopped_at, "
               "agent_user_set = excluded.agent_user_set, transfered = excluded.transfered, "
               "from_agent_callback = excluded.from_agent_callback, last_seq = excluded.last_seq, "
               "agent_last_message_at = excluded.agent_last_message_at, agent_read_seq = excluded.agent_read_seq, "
               "summary_ids = excluded.summary_ids, comment = excluded.comment, "
               "enquiry_invited = excluded.enquiry_invited, enquiry_summary = excluded.enquiry_summary, "
               "enquiry_detail = excluded.enquiry_detail, enquiry_tag_ids = excluded.enquiry_tag_ids, "
               "summarys = excluded.summarys, summarys_detail = excluded.summarys_detail, "
               "enquiry_tag_names = excluded.enquiry_tag_names",
               {P(l.session_id), P(l.tenant_id), P(l.visitor_id), P(l.chat_group_id), P(l.channel_id),
                P(static_cast<int64_t>(l.state)), P(l.queue_id), P(l.agent_user_id), P(l.queued_at),
                P(l.created_at), P(l.started_at), P(l.stopped_at), P(JoinIds(l.agent_user_set)),
                P(l.transfered ? "true" : "false"), P(l.from_agent_callback ? "true" : "false"), P(l.last_seq),
                P(l.agent_last_message_at), P(l.agent_read_seq), P(JoinNumbers(l.summary_ids)), P(l.comment),
                P(l.enquiry_invited ? "true" : "false"), P(int64_t{l.enquiry_summary}), P(l.enquiry_detail),
                P(JoinNumbers(l.enquiry_tag_ids)), P(l.summarys), P(l.summarys_detail), P(l.enquiry_tag_names)});
  return Status::Ok();
}

Status InsertMessage(PgConnection& conn, const Message& m) {
  KEFU_PG_EXEC(ins, conn,
               "INSERT INTO messages(chat_group_id, seq, session_id, sender, type, msg, media_id, filename, size, "
               "msg_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
               {P(m.chat_group_id), P(m.seq), P(m.session_id), P(SenderKey(m.from, m.from_user_id)), P(m.type),
                P(m.msg), P(m.media_id), P(m.filename), P(m.size), P(m.msg_id), P(m.created_at)});
  return Status::Ok();
}

Result<std::optional<LiveSession>> OpenSessionOf(PgConnection& conn, int64_t chat_group_id) {
  KEFU_PG_EXEC(r, conn, kLiveSelect + "WHERE l.chat_group_id = $1 AND l.state IN (0, 1)", {P(chat_group_id)});
  if (r.rows() == 0) return std::optional<LiveSession>();
  return std::optional<LiveSession>(ReadLive(r, 0));
}

// The names of a session's agents, as the agents table has them now.
Result<AgentNameMap> NamesOf(PgConnection& conn, TenantId tenant, const std::vector<std::string>& ids) {
  AgentNameMap out;
  if (ids.empty()) return out;
  KEFU_PG_EXEC(r, conn,
               "SELECT user_id, username, nicename, true_name FROM agents WHERE tenant_id = $1 AND "
               "user_id = ANY($2::text[])",
               {P(tenant), PgTextArray(ids)});
  for (int i = 0; i < r.rows(); ++i) out[r.Text(i, 0)] = AgentNames{r.Text(i, 1), r.Text(i, 2), r.Text(i, 3)};
  return out;
}

// ThreadWork inside a transaction of `conn`, the visitor's row locked.
class PgThreadWork final : public ThreadWork {
 public:
  PgThreadWork(PgConnection& conn, const ThreadKey& key, const SessionRenderer& render, int64_t last_seq)
      : conn_(conn), key_(key), render_(render), last_seq_(last_seq) {}

  Result<std::optional<LiveSession>> OpenSession() override { return OpenSessionOf(conn_, key_.chat_group_id); }

  Result<LiveSession> Session(const std::string& session_id) override {
    KEFU_PG_EXEC(r, conn_, kLiveSelect + "WHERE l.session_id = $1 AND l.chat_group_id = $2",
                 {P(session_id), P(key_.chat_group_id)});
    if (r.rows() == 0) return Error(Code::kNoSuchSession, "no such service session");
    return ReadLive(r, 0);
  }

  Result<std::optional<Message>> SentMessage(std::string_view sender, std::string_view msg_id) override {
    KEFU_PG_EXEC(r, conn_, kMessageSelect + "WHERE chat_group_id = $1 AND sender = $2 AND msg_id = $3",
                 {P(key_.chat_group_id), P(sender), P(msg_id)});
    if (r.rows() == 0) return std::optional<Message>();
    return std::optional<Message>(ReadMessage(r, 0));
  }

  Result<Message> Append(Message m) override {
    m.chat_group_id = key_.chat_group_id;
    m.seq = last_seq_ + 1;
    KEFU_RETURN_IF_ERROR(InsertMessage(conn_, m));
    KEFU_PG_EXEC(upd, conn_, "UPDATE visitors SET last_seq = $2 WHERE user_id = $1", {P(key_.visitor_id), P(m.seq)});
    last_seq_ = m.seq;
    return m;
  }

  Result<bool> AnyoneOnline(const std::optional<int64_t>& queue_id) override {
    KEFU_PG_EXEC(r, conn_,
                 "SELECT 1 FROM agents a WHERE a.tenant_id = $1 AND a.enabled AND a.state = 'Online' AND "
                 "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM queue_members m WHERE m.tenant_id = $1 AND "
                 "m.queue_id = $2 AND m.user_id = a.user_id)) LIMIT 1",
                 {P(key_.tenant_id), P(queue_id)});
    return r.rows() > 0;
  }

  Result<std::optional<AgentPresence>> Agent(std::string_view user_id) override {
    KEFU_PG_EXEC(r, conn_, "SELECT enabled, state FROM agents WHERE tenant_id = $1 AND user_id = $2",
                 {P(key_.tenant_id), P(user_id)});
    if (r.rows() == 0) return std::optional<AgentPresence>();
    return std::optional<AgentPresence>(AgentPresence{r.Bool(0, 0), r.Text(0, 1)});
  }

  Status Save(const LiveSession& l) override {
    KEFU_RETURN_IF_ERROR(WriteLive(conn_, l));
    auto names = NamesOf(conn_, l.tenant_id, l.agent_user_set);
    if (!names.ok()) return names.status();
    return PgStore::PutHistoryRows(conn_, l.tenant_id, {render_(l, *names)}, nullptr);
  }

 private:
  PgConnection& conn_;
  const ThreadKey& key_;
  const SessionRenderer& render_;
  int64_t last_seq_;
};

}  // namespace

Status PgStore::WithThread(const ThreadKey& key, const SessionRenderer& render, const ThreadWorkFn& work) {
  KEFU_PG_ACQUIRE(conn);
  PgTransaction tx(conn);
  KEFU_RETURN_IF_ERROR(tx.Begin());
  // The visitor's row, locked: writes to its thread take turns on every instance.
  KEFU_PG_EXEC(r, conn, "SELECT last_seq FROM visitors WHERE user_id = $1 AND tenant_id = $2 FOR UPDATE",
               {P(key.visitor_id), P(key.tenant_id)});
  if (r.rows() == 0) return Error(Code::kBadToken, "the visitor is gone");
  PgThreadWork thread(conn, key, render, r.Int(0, 0));
  KEFU_RETURN_IF_ERROR(work(thread));
  return tx.Commit();
}

Result<std::vector<Message>> PgStore::ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t before_seq,
                                                   int64_t limit, bool newest) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               kMessageSelect + "WHERE chat_group_id = $1 AND seq > $2 AND seq < $3 ORDER BY seq " +
                   (newest ? "DESC " : "") + "LIMIT $4",
               {P(chat_group_id), P(after_seq), P(before_seq), P(limit)});
  std::vector<Message> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadMessage(r, i));
  if (newest) std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<Message>> PgStore::ListSessionMessages(int64_t chat_group_id, std::string_view session_id,
                                                          int64_t after_seq, int64_t limit) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kMessageSelect + "WHERE chat_group_id = $1 AND seq > $2 AND session_id = $3 ORDER BY seq LIMIT $4",
               {P(chat_group_id), P(after_seq), P(session_id), P(limit)});
  std::vector<Message> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadMessage(r, i));
  return out;
}

Result<std::optional<LiveSession>> PgStore::FindOpenSession(int64_t chat_group_id) {
  KEFU_PG_ACQUIRE(conn);
  return OpenSessionOf(conn, chat_group_id);
}

Result<std::optional<LiveSession>> PgStore::FindSession(TenantId tenant, std::string_view session_id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn, kLiveSelect + "WHERE l.session_id = $1 AND l.tenant_id = $2", {P(session_id), P(tenant)});
  if (r.rows() == 0) return std::optional<LiveSession>();
  return std::optional<LiveSession>(ReadLive(r, 0));
}

Result<int64_t> PgStore::QueuePosition(const LiveSession& l) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT count(*) FROM live_sessions WHERE tenant_id = $1 AND state = 0 AND "
               "queue_id IS NOT DISTINCT FROM $2::bigint AND (queued_at < $3 OR (queued_at = $3 AND arrival < "
               "(SELECT arrival FROM live_sessions WHERE session_id = $4)))",
               {P(l.tenant_id), P(l.queue_id), P(l.queued_at), P(l.session_id)});
  return r.Int(0, 0) + 1;
}

Result<std::vector<AgentLoad>> PgStore::AgentLoads(TenantId tenant) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT a.user_id, a.username, a.nicename, a.state, (SELECT count(*) FROM live_sessions l "
               "WHERE l.tenant_id = a.tenant_id AND l.state = 1 AND l.agent_user_id = a.user_id), a.max_sessions "
               "FROM agents a WHERE a.tenant_id = $1 ORDER BY a.created_at, lower(a.username) COLLATE \"C\"",
               {P(tenant)});
  std::vector<AgentLoad> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(AgentLoad{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Int(i, 4), r.Int(i, 5)});
  }
  return out;
}

Result<AgentNameMap> PgStore::AgentNamesOf(TenantId tenant, const std::vector<std::string>& user_ids) {
  KEFU_PG_ACQUIRE(conn);
  return NamesOf(conn, tenant, user_ids);
}

Result<std::pair<int64_t, std::vector<LiveItem>>> PgStore::ListWaiting(TenantId tenant,
                                                                       std::optional<std::string_view> member,
                                                                       std::optional<int64_t> queue, int64_t offset,
                                                                       int64_t limit) {
  const std::string where =
      "WHERE l.tenant_id = $1 AND l.state = 0 AND ($2::text IS NULL OR l.queue_id IS NULL OR l.queue_id IN "
      "(SELECT queue_id FROM queue_members WHERE tenant_id = $1 AND user_id = $2)) "
      "AND ($3::bigint IS NULL OR l.queue_id = $3) ";
  const PgParam who = member ? P(*member) : PgParam();
  KEFU_PG_ACQUIRE(conn);
  // (Two statements: under READ COMMITTED the total may be a moment newer
  // than the page, as a wait list moves anyway.)
  KEFU_PG_EXEC(n, conn, "SELECT count(*) FROM live_sessions l " + where, {P(tenant), who, P(queue)});
  KEFU_PG_EXEC(r, conn, kLiveItemSelect + where + "ORDER BY l.queued_at, l.arrival LIMIT $4 OFFSET $5",
               {P(tenant), who, P(queue), P(limit), P(offset)});
  return std::make_pair(n.Int(0, 0), ReadItems(r));
}

Result<std::pair<int64_t, std::vector<LiveItem>>> PgStore::ListOpen(TenantId tenant, const OpenFilter& f, int64_t offset,
                                                                    int64_t limit) {
  const std::string where =
      "WHERE l.tenant_id = $1 AND (($2 AND l.state = 0) OR ($3 AND l.state = 1)) AND "
      "(cardinality($4::text[]) = 0 OR l.agent_user_id = ANY($4::text[])) AND "
      "(cardinality($5::bigint[]) = 0 OR l.queue_id = ANY($5::bigint[])) ";
  const std::vector<PgParam> params = {P(tenant), P(f.wait ? "true" : "false"), P(f.processing ? "true" : "false"),
                                       PgTextArray(f.agent_ids), PgIntArray(f.queue_ids)};
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(n, conn, "SELECT count(*) FROM live_sessions l " + where, params);
  std::vector<PgParam> paged = params;
  paged.push_back(P(limit));
  paged.push_back(P(offset));
  KEFU_PG_EXEC(r, conn, kLiveItemSelect + where + "ORDER BY l.created_at, l.arrival LIMIT $6 OFFSET $7", paged);
  return std::make_pair(n.Int(0, 0), ReadItems(r));
}

Result<std::vector<LiveItem>> PgStore::ListProcessing(TenantId tenant, std::string_view agent_user_id) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               kLiveItemSelect + "WHERE l.tenant_id = $1 AND l.state = 1 AND l.agent_user_id = $2 "
                                 "ORDER BY l.started_at, l.session_id",
               {P(tenant), P(agent_user_id)});
  return ReadItems(r);
}

Result<int64_t> PgStore::CountMessages(int64_t chat_group_id, std::string_view session_id, std::string_view from,
                                       int64_t after_seq) {
  KEFU_PG_ACQUIRE(conn);
  KEFU_PG_EXEC(r, conn,
               "SELECT count(*) FROM messages WHERE chat_group_id = $1 AND seq > $2 AND session_id = $3 AND sender = $4",
               {P(chat_group_id), P(after_seq), P(session_id), P(from)});
  return r.Int(0, 0);
}

}  // namespace kefu::store::postgres
