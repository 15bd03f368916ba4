// Live conversations (LIVE §1, §2) on SQLite: ConversationStore's methods,
// over `live_sessions`, `messages` and the visitor's row (its thread's last
// seq). A write transaction is BEGIN IMMEDIATE, so writes already take turns.
#include "store/bound_lists.h"
#include "store/joined_ids.h"
#include "store/sqlite/sqlite_store.h"

namespace kefu::store::sqlite {
namespace {

#define KEFU_LIVE_COLUMNS                                                                                   \
  "l.session_id, l.tenant_id, l.visitor_id, l.chat_group_id, l.channel_id, l.state, l.queue_id, "          \
  "l.agent_user_id, l.queued_at, l.created_at, l.started_at, l.stopped_at, l.agent_user_set, l.transfered, " \
  "l.from_agent_callback, l.last_seq, l.agent_last_message_at, l.agent_read_seq, l.summary_ids, l.comment, "   \
  "l.enquiry_invited, l.enquiry_summary, l.enquiry_detail, l.enquiry_tag_ids, l.summarys, l.summarys_detail, "   \
  "l.enquiry_tag_names "
#define KEFU_LIVE_SELECT "SELECT " KEFU_LIVE_COLUMNS "FROM live_sessions l "
// A live session and its history item's values (column 27).
#define KEFU_LIVE_ITEM_SELECT                                                                  \
  "SELECT " KEFU_LIVE_COLUMNS ", v.item_values FROM live_sessions l "                          \
  "JOIN sessions s ON s.session_id = l.session_id JOIN session_values v ON v.id = s.id "

#define KEFU_MESSAGE_SELECT                                                                                 \
  "SELECT chat_group_id, seq, session_id, sender, type, msg, media_id, filename, size, msg_id, created_at " \
  "FROM messages "

LiveSession ReadLive(const Statement& s) {
  LiveSession l;
  l.session_id = s.Text(0);
  l.tenant_id = s.Int(1);
  l.visitor_id = s.Text(2);
  l.chat_group_id = s.Int(3);
  l.channel_id = s.Int(4);
  l.state = static_cast<SessionState>(s.Int(5));
  l.queue_id = s.OptionalInt(6);
  l.agent_user_id = s.OptionalText(7);
  l.queued_at = s.Int(8);
  l.created_at = s.Int(9);
  l.started_at = s.OptionalInt(10);
  l.stopped_at = s.OptionalInt(11);
  l.agent_user_set = SplitIds(s.Text(12));
  l.transfered = s.Int(13) != 0;
  l.from_agent_callback = s.Int(14) != 0;
  l.last_seq = s.Int(15);
  l.agent_last_message_at = s.OptionalInt(16);
  l.agent_read_seq = s.Int(17);
  l.summary_ids = SplitNumbers(s.Text(18));
  l.comment = s.OptionalText(19);
  l.enquiry_invited = s.Int(20) != 0;
  l.enquiry_summary = static_cast<int>(s.Int(21));
  l.enquiry_detail = s.OptionalText(22);
  l.enquiry_tag_ids = SplitNumbers(s.Text(23));
  l.summarys = s.OptionalText(24);
  l.summarys_detail = s.OptionalText(25);
  l.enquiry_tag_names = s.OptionalText(26);
  return l;
}

Message ReadMessage(const Statement& s) {
  Message m;
  m.chat_group_id = s.Int(0);
  m.seq = s.Int(1);
  m.session_id = s.Text(2);
  const std::string sender = s.Text(3);
  if (sender.rfind("agent:", 0) == 0) {
    m.from = "agent";
    m.from_user_id = sender.substr(6);
  } else {
    m.from = sender;
  }
  m.type = s.Text(4);
  m.msg = s.OptionalText(5);
  m.media_id = s.OptionalText(6);
  m.filename = s.OptionalText(7);
  m.size = s.OptionalInt(8);
  m.msg_id = s.OptionalText(9);
  m.created_at = s.Int(10);
  return m;
}

// Inserts or updates the session's row; `arrival` is set on the insert only
// (under the write lock, so one more than the largest is unique).
Status WriteLive(Connection& conn, const LiveSession& l) {
  KEFU_PREPARE(w, conn,
               "INSERT INTO live_sessions(session_id, tenant_id, visitor_id, chat_group_id, channel_id, "
               "state, queue_id, agent_user_id, queued_at, created_at, started_at, stopped_at, agent_user_set, "
               "transfered, from_agent_callback, last_seq, agent_last_message_at, agent_read_seq, summary_ids, "
               "comment, enquiry_invited, enquiry_summary, enquiry_detail, enquiry_tag_ids, summarys, summarys_detail, "
               "enquiry_tag_names, arrival) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
               "?21, ?22, ?23, ?24, ?25, ?26, ?27, (SELECT coalesce(max(arrival), 0) + 1 FROM live_sessions)) "
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
               "enquiry_tag_names = excluded.enquiry_tag_names");
  w.Bind(1, l.session_id).Bind(2, l.tenant_id).Bind(3, l.visitor_id).Bind(4, l.chat_group_id).Bind(5, l.channel_id);
  w.Bind(6, static_cast<int64_t>(l.state)).BindOptional(7, l.queue_id).BindOptional(8, l.agent_user_id);
  w.Bind(9, l.queued_at).Bind(10, l.created_at).BindOptional(11, l.started_at).BindOptional(12, l.stopped_at);
  w.Bind(13, JoinIds(l.agent_user_set)).Bind(14, int64_t{l.transfered}).Bind(15, int64_t{l.from_agent_callback});
  w.Bind(16, l.last_seq).BindOptional(17, l.agent_last_message_at).Bind(18, l.agent_read_seq);
  w.Bind(19, JoinNumbers(l.summary_ids)).BindOptional(20, l.comment).Bind(21, int64_t{l.enquiry_invited});
  w.Bind(22, int64_t{l.enquiry_summary}).BindOptional(23, l.enquiry_detail).Bind(24, JoinNumbers(l.enquiry_tag_ids));
  w.BindOptional(25, l.summarys).BindOptional(26, l.summarys_detail).BindOptional(27, l.enquiry_tag_names);
  return w.Run();
}

Status InsertMessage(Connection& conn, const Message& m) {
  KEFU_PREPARE(ins, conn,
               "INSERT INTO messages(chat_group_id, seq, session_id, sender, type, msg, media_id, filename, size, "
               "msg_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  ins.Bind(1, m.chat_group_id).Bind(2, m.seq).Bind(3, m.session_id).Bind(4, SenderKey(m.from, m.from_user_id));
  ins.Bind(5, m.type).BindOptional(6, m.msg).BindOptional(7, m.media_id).BindOptional(8, m.filename);
  ins.BindOptional(9, m.size).BindOptional(10, m.msg_id).Bind(11, m.created_at);
  return ins.Run();
}

Result<std::optional<LiveSession>> OpenSessionOf(Connection& conn, int64_t chat_group_id) {
  KEFU_PREPARE(s, conn, KEFU_LIVE_SELECT "WHERE l.chat_group_id = ?1 AND l.state IN (0, 1)");
  s.Bind(1, chat_group_id);
  std::optional<LiveSession> out;
  if (s.Step()) out = ReadLive(s);
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

// The names of a session's agents, as the agents table has them now.
Result<AgentNameMap> NamesOf(Connection& conn, TenantId tenant, const std::vector<std::string>& ids) {
  AgentNameMap out;
  for (const auto& id : ids) {
    KEFU_PREPARE(s, conn, "SELECT username, nicename, true_name FROM agents WHERE tenant_id = ?1 AND user_id = ?2");
    s.Bind(1, tenant).Bind(2, id);
    if (s.Step()) out[id] = AgentNames{s.Text(0), s.Text(1), s.Text(2)};
    KEFU_RETURN_IF_ERROR(s.status());
  }
  return out;
}

// ThreadWork inside a write transaction of `conn`.
class SqliteThreadWork final : public ThreadWork {
 public:
  SqliteThreadWork(Connection& conn, const ThreadKey& key, const SessionRenderer& render, int64_t last_seq)
      : conn_(conn), key_(key), render_(render), last_seq_(last_seq) {}

  Result<std::optional<LiveSession>> OpenSession() override { return OpenSessionOf(conn_, key_.chat_group_id); }

  Result<LiveSession> Session(const std::string& session_id) override {
    KEFU_PREPARE(s, conn_, KEFU_LIVE_SELECT "WHERE l.session_id = ?1 AND l.chat_group_id = ?2");
    s.Bind(1, session_id).Bind(2, key_.chat_group_id);
    if (!s.Step()) return s.status().ok() ? Error(Code::kNoSuchSession, "no such service session") : s.status();
    return ReadLive(s);
  }

  Result<std::optional<Message>> SentMessage(std::string_view sender, std::string_view msg_id) override {
    KEFU_PREPARE(s, conn_, KEFU_MESSAGE_SELECT "WHERE chat_group_id = ?1 AND sender = ?2 AND msg_id = ?3");
    s.Bind(1, key_.chat_group_id).Bind(2, sender).Bind(3, msg_id);
    std::optional<Message> out;
    if (s.Step()) out = ReadMessage(s);
    KEFU_RETURN_IF_ERROR(s.status());
    return out;
  }

  Result<Message> Append(Message m) override {
    m.chat_group_id = key_.chat_group_id;
    m.seq = last_seq_ + 1;
    KEFU_RETURN_IF_ERROR(InsertMessage(conn_, m));
    KEFU_PREPARE(upd, conn_, "UPDATE visitors SET last_seq = ?2 WHERE user_id = ?1");
    upd.Bind(1, key_.visitor_id).Bind(2, m.seq);
    KEFU_RETURN_IF_ERROR(upd.Run());
    last_seq_ = m.seq;
    return m;
  }

  Result<bool> AnyoneOnline(const std::optional<int64_t>& queue_id) override {
    KEFU_PREPARE(s, conn_,
                 "SELECT 1 FROM agents a WHERE a.tenant_id = ?1 AND a.enabled = 1 AND a.state = 'Online' AND "
                 "(?2 IS NULL OR EXISTS (SELECT 1 FROM queue_members m WHERE m.tenant_id = ?1 AND "
                 "m.queue_id = ?2 AND m.user_id = a.user_id)) LIMIT 1");
    s.Bind(1, key_.tenant_id).BindOptional(2, queue_id);
    const bool found = s.Step();
    KEFU_RETURN_IF_ERROR(s.status());
    return found;
  }

  Result<std::optional<AgentPresence>> Agent(std::string_view user_id) override {
    KEFU_PREPARE(s, conn_, "SELECT enabled, state FROM agents WHERE tenant_id = ?1 AND user_id = ?2");
    s.Bind(1, key_.tenant_id).Bind(2, user_id);
    std::optional<AgentPresence> out;
    if (s.Step()) out = AgentPresence{s.Int(0) != 0, s.Text(1)};
    KEFU_RETURN_IF_ERROR(s.status());
    return out;
  }

  Status Save(const LiveSession& l) override {
    KEFU_RETURN_IF_ERROR(WriteLive(conn_, l));
    auto names = NamesOf(conn_, l.tenant_id, l.agent_user_set);
    if (!names.ok()) return names.status();
    return SqliteStore::PutHistoryRows(conn_, l.tenant_id, {render_(l, *names)}, nullptr);
  }

 private:
  Connection& conn_;
  const ThreadKey& key_;
  const SessionRenderer& render_;
  int64_t last_seq_;
};

}  // namespace

Status SqliteStore::WithThread(const ThreadKey& key, const SessionRenderer& render, const ThreadWorkFn& work) {
  KEFU_ACQUIRE(conn);
  Transaction tx(conn);  // BEGIN IMMEDIATE: writes take turns
  KEFU_RETURN_IF_ERROR(tx.Begin());
  int64_t last_seq = 0;
  {
    KEFU_PREPARE(last, conn, "SELECT last_seq FROM visitors WHERE user_id = ?1 AND tenant_id = ?2");
    last.Bind(1, key.visitor_id).Bind(2, key.tenant_id);
    if (!last.Step()) return last.status().ok() ? Error(Code::kBadToken, "the visitor is gone") : last.status();
    last_seq = last.Int(0);
  }
  SqliteThreadWork thread(conn, key, render, last_seq);
  KEFU_RETURN_IF_ERROR(work(thread));
  return tx.Commit();
}

Result<std::vector<Message>> SqliteStore::ListMessages(int64_t chat_group_id, int64_t after_seq, int64_t before_seq,
                                                       int64_t limit, bool newest) {
  KEFU_ACQUIRE(conn);
  std::vector<Message> out;
  if (newest) {
    KEFU_PREPARE(s, conn,
                 KEFU_MESSAGE_SELECT "WHERE chat_group_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq DESC LIMIT ?4");
    s.Bind(1, chat_group_id).Bind(2, after_seq).Bind(3, before_seq).Bind(4, limit);
    while (s.Step()) out.insert(out.begin(), ReadMessage(s));
    KEFU_RETURN_IF_ERROR(s.status());
    return out;
  }
  KEFU_PREPARE(s, conn, KEFU_MESSAGE_SELECT "WHERE chat_group_id = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq LIMIT ?4");
  s.Bind(1, chat_group_id).Bind(2, after_seq).Bind(3, before_seq).Bind(4, limit);
  while (s.Step()) out.push_back(ReadMessage(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::vector<Message>> SqliteStore::ListSessionMessages(int64_t chat_group_id, std::string_view session_id,
                                                              int64_t after_seq, int64_t limit) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               KEFU_MESSAGE_SELECT "WHERE chat_group_id = ?1 AND seq > ?2 AND session_id = ?3 ORDER BY seq LIMIT ?4");
  s.Bind(1, chat_group_id).Bind(2, after_seq).Bind(3, session_id).Bind(4, limit);
  std::vector<Message> out;
  while (s.Step()) out.push_back(ReadMessage(s));
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::optional<LiveSession>> SqliteStore::FindOpenSession(int64_t chat_group_id) {
  KEFU_ACQUIRE(conn);
  return OpenSessionOf(conn, chat_group_id);
}

Result<std::optional<LiveSession>> SqliteStore::FindSession(TenantId tenant, std::string_view session_id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn, KEFU_LIVE_SELECT "WHERE l.session_id = ?1 AND l.tenant_id = ?2");
  s.Bind(1, session_id).Bind(2, tenant);
  std::optional<LiveSession> out;
  if (s.Step()) out = ReadLive(s);
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<int64_t> SqliteStore::QueuePosition(const LiveSession& l) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT count(*) FROM live_sessions WHERE tenant_id = ?1 AND state = 0 AND queue_id IS ?2 AND "
               "(queued_at < ?3 OR (queued_at = ?3 AND arrival < "
               "(SELECT arrival FROM live_sessions WHERE session_id = ?4)))");
  s.Bind(1, l.tenant_id).BindOptional(2, l.queue_id).Bind(3, l.queued_at).Bind(4, l.session_id);
  if (!s.Step()) return s.status().ok() ? Error(Code::kInternal, "no count") : s.status();
  return s.Int(0) + 1;
}

Result<std::vector<AgentLoad>> SqliteStore::AgentLoads(TenantId tenant) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT a.user_id, a.username, a.nicename, a.state, (SELECT count(*) FROM live_sessions l "
               "WHERE l.tenant_id = a.tenant_id AND l.state = 1 AND l.agent_user_id = a.user_id), a.max_sessions "
               "FROM agents a WHERE a.tenant_id = ?1 ORDER BY a.created_at, a.username_key");
  s.Bind(1, tenant);
  std::vector<AgentLoad> out;
  while (s.Step()) out.push_back(AgentLoad{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)});
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<AgentNameMap> SqliteStore::AgentNamesOf(TenantId tenant, const std::vector<std::string>& user_ids) {
  KEFU_ACQUIRE(conn);
  return NamesOf(conn, tenant, user_ids);
}

Result<std::pair<int64_t, std::vector<LiveItem>>> SqliteStore::ListWaiting(TenantId tenant,
                                                                           std::optional<std::string_view> member,
                                                                           std::optional<int64_t> queue, int64_t offset,
                                                                           int64_t limit) {
  KEFU_ACQUIRE(conn);
  ReadTransaction read(conn);  // the page and its total from one snapshot
  KEFU_RETURN_IF_ERROR(read.Begin());
#define KEFU_WAITING_WHERE                                                                              \
  "WHERE l.tenant_id = ?1 AND l.state = 0 AND (?2 IS NULL OR l.queue_id IS NULL OR l.queue_id IN "      \
  "(SELECT queue_id FROM queue_members WHERE tenant_id = ?1 AND user_id = ?2)) AND (?5 IS NULL OR l.queue_id = ?5) "
  std::pair<int64_t, std::vector<LiveItem>> out;
  {
    KEFU_PREPARE(n, conn, "SELECT count(*) FROM live_sessions l " KEFU_WAITING_WHERE);
    n.Bind(1, tenant).BindOptional(2, member ? std::optional<std::string>(*member) : std::nullopt);
    n.BindOptional(5, queue);
    if (!n.Step()) return n.status().ok() ? Error(Code::kInternal, "no count") : n.status();
    out.first = n.Int(0);
  }
  KEFU_PREPARE(s, conn, KEFU_LIVE_ITEM_SELECT KEFU_WAITING_WHERE "ORDER BY l.queued_at, l.arrival LIMIT ?3 OFFSET ?4");
#undef KEFU_WAITING_WHERE
  s.Bind(1, tenant).BindOptional(2, member ? std::optional<std::string>(*member) : std::nullopt);
  s.Bind(3, limit).Bind(4, offset).BindOptional(5, queue);
  while (s.Step()) out.second.push_back(LiveItem{ReadLive(s), s.Text(27)});
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::pair<int64_t, std::vector<LiveItem>>> SqliteStore::ListOpen(TenantId tenant, const OpenFilter& f,
                                                                        int64_t offset, int64_t limit) {
  KEFU_ACQUIRE(conn);
  ReadTransaction read(conn);  // the page and its total from one snapshot
  KEFU_RETURN_IF_ERROR(read.Begin());
#define KEFU_OPEN_WHERE                                                                                        \
  "WHERE l.tenant_id = ?1 AND ((?2 AND l.state = 0) OR (?3 AND l.state = 1)) AND "                           \
  "(?4 = '[]' OR l.agent_user_id IN (SELECT value FROM json_each(?4))) AND "                                  \
  "(?5 = '[]' OR l.queue_id IN (SELECT value FROM json_each(?5))) "
  auto bind = [&](Statement& s) {
    s.Bind(1, tenant).Bind(2, int64_t{f.wait}).Bind(3, int64_t{f.processing});
    s.Bind(4, JsonList(f.agent_ids)).Bind(5, JsonList(f.queue_ids));
  };
  std::pair<int64_t, std::vector<LiveItem>> out;
  {
    KEFU_PREPARE(n, conn, "SELECT count(*) FROM live_sessions l " KEFU_OPEN_WHERE);
    bind(n);
    if (!n.Step()) return n.status().ok() ? Error(Code::kInternal, "no count") : n.status();
    out.first = n.Int(0);
  }
  KEFU_PREPARE(s, conn, KEFU_LIVE_ITEM_SELECT KEFU_OPEN_WHERE "ORDER BY l.created_at, l.arrival LIMIT ?6 OFFSET ?7");
#undef KEFU_OPEN_WHERE
  bind(s);
  s.Bind(6, limit).Bind(7, offset);
  while (s.Step()) out.second.push_back(LiveItem{ReadLive(s), s.Text(27)});
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<std::vector<LiveItem>> SqliteStore::ListProcessing(TenantId tenant, std::string_view agent_user_id) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               KEFU_LIVE_ITEM_SELECT "WHERE l.tenant_id = ?1 AND l.state = 1 AND l.agent_user_id = ?2 "
                                     "ORDER BY l.started_at, l.session_id");
  s.Bind(1, tenant).Bind(2, agent_user_id);
  std::vector<LiveItem> out;
  while (s.Step()) out.push_back(LiveItem{ReadLive(s), s.Text(27)});
  KEFU_RETURN_IF_ERROR(s.status());
  return out;
}

Result<int64_t> SqliteStore::CountMessages(int64_t chat_group_id, std::string_view session_id, std::string_view from,
                                           int64_t after_seq) {
  KEFU_ACQUIRE(conn);
  KEFU_PREPARE(s, conn,
               "SELECT count(*) FROM messages WHERE chat_group_id = ?1 AND seq > ?2 AND session_id = ?3 AND sender = ?4");
  s.Bind(1, chat_group_id).Bind(2, after_seq).Bind(3, session_id).Bind(4, from);
  if (!s.Step()) return s.status().ok() ? Error(Code::kInternal, "no count") : s.status();
  return s.Int(0);
}

}  // namespace kefu::store::sqlite
