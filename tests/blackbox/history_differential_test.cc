// The history query against a straightforward model (CONTRACT §6, decisions.md
// "History query"): thousands of seeded random sessions are imported, then
// hundreds of random filter combinations are sent and each page (total, ids in
// order, item JSON) is compared with an evaluation written here.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <iostream>
#include <optional>
#include <random>
#include <set>

#include "history_support.h"

namespace bb {
namespace hist {
namespace {

constexpr int kTz = 8;  // tenant A is UTC+8

struct AgentRec {
  std::string id, nick, true_name, username;
};
struct TagRec {
  long long id;
  std::string name;
  int color;
  long long parent;
};

struct Sess {
  std::string id;
  std::string state;
  std::optional<long long> tech_channel_id;
  std::optional<std::string> tech_channel_type;
  std::optional<long long> queue_id;
  std::optional<long long> create, start, stop;  // epoch seconds
  std::optional<std::vector<std::string>> origin;
  std::optional<std::string> customer_nick, visitor_nick;
  bool transfered = false, callback = false;
  std::optional<int> enquiry;  // 1..5
  std::vector<long long> leaves;
  std::optional<std::vector<long long>> enquiry_tags;
  std::vector<std::string> agents;
  std::string json;
};

std::string Lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  uint32_t U32() { return rng_(); }
  uint64_t U64() { return (static_cast<uint64_t>(rng_()) << 32) | rng_(); }
  long long Range(long long lo, long long hi) {  // inclusive
    return lo + static_cast<long long>(U64() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(int percent) { return static_cast<int>(rng_() % 100) < percent; }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[rng_() % v.size()]; }
  std::string Uuid(bool upper = false) {
    static const char* lo = "0123456789abcdef";
    static const char* up = "0123456789ABCDEF";
    const char* h = upper ? up : lo;
    std::string s;
    for (int i = 0; i < 32; ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
      s += h[rng_() % 16];
    }
    return s;
  }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

const std::vector<TagRec>& Tags() {
  static const std::vector<TagRec> t = {{10, "咨询", 1, 0}, {11, "售前", 2, 10},
                                        {12, "价格", 3, 11}, {20, "投诉", 4, 0},
                                        {21, "物流", 5, 20}, {30, "other", 6, 0}};
  return t;
}
const TagRec& TagById(long long id) {
  for (auto& t : Tags())
    if (t.id == id) return t;
  throw std::runtime_error("tag");
}
const std::vector<std::vector<long long>>& Paths() {
  static const std::vector<std::vector<long long>> p = {{10}, {10, 11}, {10, 11, 12},
                                                        {20}, {20, 21}, {30}};
  return p;
}

const std::vector<std::string>& Names() {
  static const std::vector<std::string> n = {
      "Alice",   "alICE",     "BOB",      "bobby",     "Carol_X",  "dave%",    "Eve.Smith",
      "zhang San", "张三",    "李四",     "王小明",    "小明",     "客户甲",   "王Bob",
      "Ann张",   "50%off",    "a_b",      "axb",       "MiXeD",    "mixed123", "ÄÖ-umlaut",
      "O'Brien", "张三丰",    "x"};
  return n;
}

std::string OptStr(const std::optional<std::string>& s) { return s ? S(*s) : "null"; }
std::string OptInt(const std::optional<long long>& v) {
  return v ? std::to_string(*v) : "null";
}
std::string OptTime(const std::optional<long long>& t, int tz) {
  return t ? S(EpochToLocal(*t, tz)) : "null";
}

struct World {
  std::vector<AgentRec> agents;
  std::vector<Sess> sessions;
  long long base = 0, span = 0;
};

// Makes `n` sessions of `tenant`. Times are written in zone `tz`.
std::vector<Sess> MakeSessions(Gen& g, int tenant, int tz, int n,
                               const std::vector<AgentRec>& agents, long long base, long long span,
                               std::set<std::string>& used_ids) {
  std::vector<long long> tie_stop, tie_start, tie_create;
  for (int i = 0; i < 15; ++i) tie_stop.push_back(base + g.Range(0, span));
  for (int i = 0; i < 8; ++i) tie_start.push_back(base + g.Range(0, span));
  for (int i = 0; i < 8; ++i) tie_create.push_back(base + g.Range(0, span));
  const std::vector<std::string> origins = {"webim", "app", "weixin", "weibo", "phone"};
  const std::vector<std::string> ctypes = {"easemob", "weixin", "app", "phone"};
  const std::vector<std::string> cnames = {"优信测试", "微信渠道", "App", "呼叫中心"};
  const std::vector<long long> channels = {1, 2, 3, 7, 100};
  const std::vector<long long> queues = {1, 2, 3, 4, 5, 6, 123456789012LL};

  std::vector<Sess> out;
  for (int i = 0; i < n; ++i) {
    Sess s;
    do {
      int kind = static_cast<int>(g.U32() % 100);
      if (kind < 90) s.id = g.Uuid(false);
      else if (kind < 96) s.id = g.Uuid(true);
      else s.id = "sess-" + std::to_string(g.Range(0, 99999));
    } while (!used_ids.insert(s.id).second);
    int st = static_cast<int>(g.U32() % 100);
    s.state = st < 45 ? "Terminal" : st < 70 ? "Abort" : st < 85 ? "Processing" : "Wait";

    long long c = base + g.Range(0, span);
    if (g.Chance(5)) c = g.Pick(tie_create);
    s.create = c;
    if (s.state == "Terminal" || s.state == "Processing") {
      long long st0 = c + g.Range(0, 600);
      if (g.Chance(6)) st0 = g.Pick(tie_start);
      s.start = st0;
    }
    if (s.state == "Terminal" || s.state == "Abort") {
      long long sp = (s.start ? *s.start : c) + g.Range(0, 7200);
      if (g.Chance(15)) sp = g.Pick(tie_stop);
      s.stop = sp;
    }
    if (g.Chance(3)) s.create.reset();
    std::optional<long long> last_msg;
    if (s.start && g.Chance(70)) last_msg = *s.start + g.Range(0, 300);

    if (!g.Chance(5)) s.tech_channel_id = g.Pick(channels);
    if (!g.Chance(5)) s.tech_channel_type = g.Pick(ctypes);
    if (!g.Chance(15)) s.queue_id = g.Pick(queues);

    int o = static_cast<int>(g.U32() % 100);
    if (o < 5) {
      // null
    } else if (o < 8) {
      s.origin = std::vector<std::string>{};
    } else if (o < 78) {
      s.origin = std::vector<std::string>{g.Pick(origins)};
    } else if (o < 90) {
      std::string a = g.Pick(origins), b;
      do b = g.Pick(origins); while (b == a);
      s.origin = std::vector<std::string>{a, b};
    } else if (o < 95) {
      s.origin = std::vector<std::string>{"email"};
    } else {
      s.origin = std::vector<std::string>{g.Pick(origins), "mystery"};
    }

    bool has_customer = !g.Chance(10);
    if (has_customer && !g.Chance(10)) s.customer_nick = g.Pick(Names());
    bool has_visitor = !g.Chance(10);
    if (has_visitor && !g.Chance(10)) s.visitor_nick = g.Pick(Names());

    s.transfered = g.Chance(30);
    s.callback = g.Chance(20);
    if (!g.Chance(40)) s.enquiry = static_cast<int>(g.Range(1, 5));

    int npaths = static_cast<int>(g.Range(0, 3));
    std::vector<std::vector<long long>> paths;
    for (int k = 0; k < npaths; ++k) paths.push_back(g.Pick(Paths()));
    for (auto& p : paths) s.leaves.push_back(p.back());

    if (!g.Chance(50)) {
      std::vector<long long> et;
      int k = static_cast<int>(g.Range(0, 3));
      for (int j = 0; j < k; ++j) et.push_back(g.Range(501, 506));
      s.enquiry_tags = et;
    }

    int nag = static_cast<int>(g.Range(0, 3));
    if (s.state == "Abort" || s.state == "Wait") nag = g.Chance(80) ? 0 : nag;
    std::vector<const AgentRec*> set;
    for (int k = 0; k < nag; ++k) {
      const AgentRec* a = &g.Pick(agents);
      if (std::find(set.begin(), set.end(), a) == set.end()) set.push_back(a);
    }
    for (auto* a : set) s.agents.push_back(a->id);

    // ---- JSON in the published key order.
    std::string chat;
    int cg = static_cast<int>(g.U32() % 100);
    if (cg < 35) chat = std::to_string(g.Range(1, 2147483647LL));
    else if (cg < 65) chat = std::to_string(g.Range((1LL << 53) + 1, INT64_MAX));
    else if (cg < 75) chat = std::to_string((uint64_t{1} << 63) + (g.U64() >> 1));
    else if (cg < 85) chat = std::to_string(-g.Range(1, INT64_MAX));
    else chat = "null";

    const AgentRec* last = set.empty() ? nullptr : set.back();
    std::string summarys = "null";
    if (!paths.empty() || g.Chance(30)) {
      std::vector<std::string> ps;
      for (auto& p : paths) {
        std::vector<std::string> objs;
        for (long long id : p) {
          auto& t = TagById(id);
          objs.push_back(Obj({{"id", std::to_string(t.id)}, {"name", S(t.name)},
                              {"color", std::to_string(t.color)},
                              {"parentId", std::to_string(t.parent)}}));
        }
        ps.push_back("[" + Join(objs) + "]");
      }
      summarys = "[" + Join(ps) + "]";
    }
    std::string summarys_detail = "null";
    if (!paths.empty()) {
      std::vector<std::string> names;
      for (long long l : s.leaves) names.push_back(TagById(l).name);
      summarys_detail = S(Join(names));
    }
    std::string enquiry_tags = "null", enquiry_names = "null";
    if (s.enquiry_tags) {
      std::vector<std::string> ids, names;
      for (long long t : *s.enquiry_tags) {
        ids.push_back(std::to_string(t));
        names.push_back("et" + std::to_string(t));
      }
      enquiry_tags = "[" + Join(ids) + "]";
      if (!ids.empty()) enquiry_names = S(Join(names));
    }
    std::string origin = "null";
    if (s.origin) {
      std::vector<std::string> q;
      for (auto& x : *s.origin) q.push_back(S(x));
      origin = "[" + Join(q) + "]";
    }
    std::string visitor = "null", customer = "null";
    if (has_visitor)
      visitor = Obj({{"userId", S(g.Uuid())}, {"nicename", OptStr(s.visitor_nick)},
                     {"username", S("visitor_" + std::to_string(i))}});
    if (has_customer)
      customer = Obj({{"customerId", S(g.Uuid())}, {"customerNiceName", OptStr(s.customer_nick)},
                      {"customerTrueName", g.Chance(20) ? S("真名" + std::to_string(i)) : "null"}});
    std::string agent_set = "null";
    if (!set.empty() || g.Chance(50)) {
      std::vector<std::string> as;
      for (auto* a : set)
        as.push_back(Obj({{"userId", S(a->id)},
                          {"username", g.Chance(50) ? S(a->username) : "null"},
                          {"nicename", S(a->nick)}, {"trueName", S(a->true_name)},
                          {"tenantId", S(std::to_string(tenant))}}));
      agent_set = "[" + Join(as) + "]";
    }
    std::string channel_type = OptStr(s.tech_channel_type);
    s.json = Obj({
        {"serviceSessionId", S(s.id)},
        {"tenantId", std::to_string(tenant)},
        {"techChannelId", OptInt(s.tech_channel_id)},
        {"queueId", OptInt(s.queue_id)},
        {"state", S(s.state)},
        {"chatGroupId", chat},
        {"messageSeqId", g.Chance(10) ? "null" : std::to_string(g.Range(0, 500))},
        {"agentUserId", last ? S(last->id) : "null"},
        {"agentUserNiceName", last ? S(last->nick) : "null"},
        {"agentUserTrueName", last ? S(last->true_name) : "null"},
        {"agentUserType", g.Chance(80) ? "1" : "null"},
        {"createDatetime", OptTime(s.create, tz)},
        {"startDateTime", OptTime(s.start, tz)},
        {"agentLastMessageDate", OptTime(last_msg, tz)},
        {"stopDateTime", OptTime(s.stop, tz)},
        {"techChannelType", channel_type},
        {"summarys", summarys},
        {"enquirySummary", s.enquiry ? S(std::to_string(*s.enquiry)) : "null"},
        {"enquiryDetail", s.enquiry && g.Chance(50) ? S("评价 detail " + std::to_string(i)) : "null"},
        {"techChannelName", s.tech_channel_id ? S(g.Pick(cnames)) : "null"},
        {"originType", origin},
        {"comment", g.Chance(30) ? S("comment \"" + std::to_string(i) + "\"\n备注") : "null"},
        {"visitorUser", visitor},
        {"customer", customer},
        {"messageDetail", "null"},
        {"recordFileUrl", g.Chance(5) ? S("https://rec.example.com/" + s.id + ".wav") : "null"},
        {"fromAgentCallback", s.callback ? "true" : "false"},
        {"transfered", s.transfered ? "true" : "false"},
        {"visitorUserTags", "null"},
        {"enquiryTags", enquiry_tags},
        {"chatMessages", "null"},
        {"lastChatMessage", "null"},
        {"agentUserSet", agent_set},
        {"agentQueueSet", "null"},
        {"enquiryTagNames", enquiry_names},
        {"summarysDetail", summarys_detail},
    });
    out.push_back(std::move(s));
  }
  return out;
}

// ---------------------------------------------------------------- the model

struct Query {
  std::set<std::string> states = {"Terminal", "Abort"};
  std::vector<std::string> origin;
  std::vector<long long> tech_channel_id;
  std::vector<std::string> tech_channel_type;
  std::string customer_name;
  std::vector<bool> transfered, callback;
  std::vector<int> enquiry;
  std::vector<long long> queue_ids;
  std::vector<long long> queue_id;  // never mixes 0 with other values
  // Two filters (CONTRACT §6): given both, a session must match each.
  std::vector<std::string> agent_ids, agent_user_id;
  std::vector<long long> summary_ids, enquiry_tag_ids;
  std::optional<long long> begin, end, stop_from, stop_to, create_from, create_to;  // ms
  int sort_field = 0;  // 0 stop, 1 start, 2 create
  bool asc = false;
  long long page = 1, per_page = 50;
};

template <class T>
bool In(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool InBounds(const std::optional<long long>& t, const std::optional<long long>& from,
              const std::optional<long long>& to) {
  if (!from && !to) return true;
  if (!t) return false;
  long long ms = *t * 1000;
  if (from && ms < *from) return false;
  if (to && ms > *to) return false;
  return true;
}

bool Matches(const Sess& s, const Query& q) {
  if (!q.states.count(s.state)) return false;
  if (!q.origin.empty()) {
    if (!s.origin) return false;
    bool any = false;
    for (auto& o : *s.origin) any = any || In(q.origin, o);
    if (!any) return false;
  }
  if (!q.tech_channel_id.empty() && (!s.tech_channel_id || !In(q.tech_channel_id, *s.tech_channel_id)))
    return false;
  if (!q.tech_channel_type.empty() &&
      (!s.tech_channel_type || !In(q.tech_channel_type, *s.tech_channel_type)))
    return false;
  if (!q.customer_name.empty()) {
    std::string n = Lower(q.customer_name);
    bool hit = (s.customer_nick && Lower(*s.customer_nick).find(n) != std::string::npos) ||
               (s.visitor_nick && Lower(*s.visitor_nick).find(n) != std::string::npos);
    if (!hit) return false;
  }
  if (!q.transfered.empty() && !In(q.transfered, s.transfered)) return false;
  if (!q.callback.empty() && !In(q.callback, s.callback)) return false;
  if (!q.enquiry.empty() && !In(q.enquiry, s.enquiry ? *s.enquiry : 0)) return false;
  if (!q.queue_ids.empty() && (!s.queue_id || !In(q.queue_ids, *s.queue_id))) return false;
  if (!q.queue_id.empty() && !In(q.queue_id, 0LL) && (!s.queue_id || !In(q.queue_id, *s.queue_id)))
    return false;
  for (const auto* named : {&q.agent_ids, &q.agent_user_id}) {
    if (named->empty()) continue;
    bool any = false;
    for (auto& a : s.agents) any = any || In(*named, a);
    if (!any) return false;
  }
  if (!q.summary_ids.empty()) {
    bool any = false;
    for (long long l : s.leaves) any = any || In(q.summary_ids, l);
    if (!any) return false;
  }
  if (!q.enquiry_tag_ids.empty()) {
    if (!s.enquiry_tags) return false;
    bool any = false;
    for (long long t : *s.enquiry_tags) any = any || In(q.enquiry_tag_ids, t);
    if (!any) return false;
  }
  if (!InBounds(s.start, q.begin, q.end)) return false;
  if (!InBounds(s.stop, q.stop_from, q.stop_to)) return false;
  if (!InBounds(s.create, q.create_from, q.create_to)) return false;
  return true;
}

struct Expected {
  long long total = 0;
  std::vector<const Sess*> page;
};

Expected Evaluate(const std::vector<Sess>& all, const Query& q) {
  std::vector<const Sess*> m;
  for (auto& s : all)
    if (Matches(s, q)) m.push_back(&s);
  auto key = [&](const Sess* s) -> const std::optional<long long>& {
    return q.sort_field == 0 ? s->stop : q.sort_field == 1 ? s->start : s->create;
  };
  std::sort(m.begin(), m.end(), [&](const Sess* a, const Sess* b) {
    const auto &ka = key(a), &kb = key(b);
    if (ka.has_value() != kb.has_value()) return ka.has_value();  // nulls last
    if (ka && *ka != *kb) return q.asc ? *ka < *kb : *ka > *kb;
    return a->id < b->id;  // bytes, ascending, whatever the order
  });
  Expected e;
  e.total = static_cast<long long>(m.size());
  long long from = (q.page - 1) * q.per_page;
  for (long long i = from; i < from + q.per_page && i < e.total; ++i) e.page.push_back(m[i]);
  return e;
}

// ---------------------------------------------------------------- query strings

class UrlBuilder {
 public:
  explicit UrlBuilder(Gen& g) : g_(g) {}
  void Single(const std::string& name, const std::string& value) {
    parts_.push_back(name + "=" + PercentEncode(value));
  }
  void Raw(const std::string& part) { parts_.push_back(part); }
  void List(const std::string& name, const std::vector<std::string>& values) {
    if (values.size() == 1 && g_.Chance(70)) {
      Single(name, values[0]);
      return;
    }
    int mode = static_cast<int>(g_.U32() % 4);
    std::vector<std::string> enc;
    for (auto& v : values) enc.push_back(PercentEncode(v));
    if (mode == 0 || mode == 1) {
      std::string sep = mode == 0 ? "," : "%2C";
      std::string joined;
      for (size_t i = 0; i < enc.size(); ++i) {
        if (i) joined += sep;
        if (i && g_.Chance(10)) joined += sep;  // an empty element is skipped
        joined += enc[i];
      }
      parts_.push_back(name + "=" + joined);
    } else if (mode == 2) {
      for (auto& e : enc) parts_.push_back(name + "=" + e);
    } else {
      size_t cut = g_.U32() % (enc.size() + 1);
      std::vector<std::string> a(enc.begin(), enc.begin() + cut), b(enc.begin() + cut, enc.end());
      if (!a.empty()) parts_.push_back(name + "=" + Join(a, ","));
      if (!b.empty()) parts_.push_back(name + "=" + Join(b, "%2C"));
    }
  }
  std::string Build() {
    // Shuffle: parameter order must not matter.
    std::shuffle(parts_.begin(), parts_.end(), g_.rng());
    return Join(parts_, "&");
  }

 private:
  Gen& g_;
  std::vector<std::string> parts_;
};

template <class T>
std::vector<T> Subset(Gen& g, const std::vector<T>& pool, size_t max_n) {
  std::vector<T> r;
  size_t n = 1 + g.U32() % max_n;
  for (size_t i = 0; i < n; ++i) {
    const T& x = g.Pick(pool);
    if (!In(r, x)) r.push_back(x);
  }
  return r;
}

std::vector<std::string> Strs(const std::vector<long long>& v) {
  std::vector<std::string> r;
  for (long long x : v) r.push_back(std::to_string(x));
  return r;
}

// A substring of 1..4 code points of some session's nickname, ASCII case flipped at random.
std::string NameProbe(Gen& g, const std::vector<Sess>& all) {
  if (g.Chance(8)) return g.Pick(std::vector<std::string>{"zzq", "无此人", "%%", "__", "qq_"});
  std::string name;
  for (int tries = 0; tries < 100 && name.empty(); ++tries) {
    const Sess& s = g.Pick(all);
    if (g.Chance(50) && s.customer_nick) name = *s.customer_nick;
    else if (s.visitor_nick) name = *s.visitor_nick;
  }
  if (name.empty()) return "a";
  std::vector<size_t> starts;
  for (size_t i = 0; i < name.size(); ++i)
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) starts.push_back(i);
  size_t n_cp = starts.size();
  size_t len = 1 + g.U32() % std::min<size_t>(4, n_cp);
  size_t first = g.U32() % (n_cp - len + 1);
  size_t b = starts[first];
  size_t e = first + len < n_cp ? starts[first + len] : name.size();
  std::string sub = name.substr(b, e - b);
  for (auto& c : sub) {
    if (g.Chance(40)) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return sub;
}

class HistoryDifferentialTest : public KefuTest {};

TEST_F(HistoryDifferentialTest, RandomQueriesMatchTheModel) {
  auto t0 = std::chrono::steady_clock::now();
  TenantCreds a = CreateTenant("diff-a", 0, "UTC+8");
  TenantCreds b = CreateTenant("diff-b", 0, "UTC-5");
  StartServer();
  std::string ta = IssueToken(a), tb = IssueToken(b);

  // KEFU_HIST_SEED / KEFU_HIST_QUERIES explore other cases; the suite uses the fixed ones.
  uint32_t seed = 20240607u;
  if (const char* e = std::getenv("KEFU_HIST_SEED")) seed = static_cast<uint32_t>(std::stoul(e));
  int n_queries = 1000;
  if (const char* e = std::getenv("KEFU_HIST_QUERIES")) n_queries = std::stoi(e);
  Gen g(seed);
  std::vector<AgentRec> agents;
  for (int i = 0; i < 10; ++i)
    agents.push_back({g.Uuid(), i % 2 ? "坐席" + std::to_string(i) : "agent" + std::to_string(i),
                      "True Name " + std::to_string(i), "agent" + std::to_string(i) + "@x.com"});
  const long long base = LocalToEpoch("2024-01-01 00:00:00", kTz);
  const long long span = 100LL * 86400;
  std::set<std::string> used;
  std::vector<Sess> sa = MakeSessions(g, a.id, kTz, 3000, agents, base, span, used);
  std::vector<Sess> sb = MakeSessions(g, b.id, -5, 300, agents, base, span, used);
  std::vector<std::string> items_a, items_b;
  for (auto& s : sa) items_a.push_back(s.json);
  for (auto& s : sb) items_b.push_back(s.json);
  // Import in shuffled order so insertion order cannot stand in for the sort.
  std::shuffle(items_a.begin(), items_a.end(), g.rng());
  const std::string a_path = "/api/tenants/" + std::to_string(a.id) + "/serviceSessionHistorys";
  for (size_t i = 0; i < items_a.size();) {
    std::vector<std::string> chunk;
    size_t bytes = 2;
    while (i < items_a.size() && chunk.size() < 1000 && bytes + items_a[i].size() + 1 < 900 * 1024) {
      bytes += items_a[i].size() + 1;
      chunk.push_back(items_a[i++]);
    }
    auto r = Call("POST", a_path + "/import", Array(chunk), ta);
    ASSERT_TRUE(IsOk(r)) << "import tenant A";
    ASSERT_EQ(Canon(r.body),
              R"({"status":"OK","entity":{"imported":)" + std::to_string(chunk.size()) + "}}");
  }
  {
    auto r = Call("POST",
                  "/api/platform/tenants/" + std::to_string(b.id) + "/serviceSessionHistorys/import",
                  Array(items_b), tb);
    ASSERT_TRUE(IsOk(r)) << "import tenant B";
  }
  std::map<std::string, std::string> want_json;
  for (auto& s : sa) want_json[s.id] = Canon(s.json);
  std::set<std::string> b_ids;
  for (auto& s : sb) b_ids.insert(s.id);
  auto t_import = std::chrono::steady_clock::now();

  const std::vector<std::string> origins = {"webim", "app", "weixin", "weibo", "phone"};
  const std::vector<std::string> states = {"Wait", "Processing", "Terminal", "Abort"};
  const std::vector<long long> channels = {1, 2, 3, 7, 100, 55};
  const std::vector<std::string> ctypes = {"easemob", "weixin", "app", "phone", "other"};
  const std::vector<long long> queues = {1, 2, 3, 4, 5, 6, 123456789012LL, 77};
  const std::vector<long long> summary_pool = {10, 11, 12, 20, 21, 30, 99};
  const std::vector<long long> etag_pool = {501, 502, 503, 504, 505, 506, 507};
  std::vector<std::string> agent_pool;
  for (auto& ag : agents) agent_pool.push_back(ag.id);
  agent_pool.push_back("00000000-0000-4000-8000-000000000000");

  // An instant for a bound on `field` (0 stop, 1 start, 2 create) in ms.
  auto instant = [&](int field) -> long long {
    if (g.Chance(55)) {
      for (int tries = 0; tries < 50; ++tries) {
        const Sess& s = g.Pick(sa);
        const auto& t = field == 0 ? s.stop : field == 1 ? s.start : s.create;
        if (!t) continue;
        static const std::vector<long long> nudges = {0, 0, 0, 0, -1, 1, -500, 500, -1000, 1000, 999};
        return *t * 1000 + g.Pick(nudges);
      }
    }
    long long ms = (base + g.Range(-2 * 86400, span + 2 * 86400)) * 1000;
    if (g.Chance(30)) ms += g.Range(0, 999);
    return ms;
  };
  auto iso = [&](long long ms) {
    int style = static_cast<int>(g.U32() % 5);
    int off = g.Chance(70) ? 8 : -5;
    return Iso(ms, style, off);
  };

  const int kQueries = n_queries;
  int failures = 0, json_failures = 0, nonempty = 0, bool_list_failures = 0;
  for (int qi = 0; qi < kQueries; ++qi) {
    Query q;
    UrlBuilder u(g);
    if (g.Chance(30)) {
      auto st = Subset(g, states, 4);
      q.states = std::set<std::string>(st.begin(), st.end());
      u.List("state", st);
    } else if (g.Chance(10)) {
      u.Raw("state=");
    }
    if (g.Chance(20)) {
      q.origin = Subset(g, origins, 3);
      u.List("originType", q.origin);
    }
    if (g.Chance(12)) {
      q.tech_channel_id = Subset(g, channels, 3);
      u.List("techChannelId", Strs(q.tech_channel_id));
    }
    if (g.Chance(12)) {
      q.tech_channel_type = Subset(g, ctypes, 2);
      u.List("techChannelType", q.tech_channel_type);
    }
    if (g.Chance(20)) {
      q.customer_name = NameProbe(g, sa);
      u.Single("customerName", q.customer_name);
    }
    auto bools = [&](const std::string& name, std::vector<bool>& out) {
      static const std::vector<std::string> t = {"true", "TRUE", "True"}, f = {"false", "FALSE", "False"};
      int k = static_cast<int>(g.U32() % 5);
      std::vector<std::string> vals;
      if (k <= 1) { out = {true}; vals = {g.Pick(t)}; }
      else if (k <= 3) { out = {false}; vals = {g.Pick(f)}; }
      else { out = {true, false}; vals = {"true", "false"}; }
      u.List(name, vals);
    };
    if (g.Chance(15)) bools("transfered", q.transfered);
    if (g.Chance(12)) bools("fromAgentCallback", q.callback);
    const bool bool_list = q.transfered.size() > 1 || q.callback.size() > 1;
    if (g.Chance(15)) {
      std::vector<int> pool = {0, 1, 2, 3, 4, 5};
      q.enquiry = Subset(g, pool, 3);
      std::vector<std::string> v;
      for (int e : q.enquiry) v.push_back(std::to_string(e));
      u.List("enquirySummary", v);
    }
    if (g.Chance(12)) {
      q.queue_ids = Subset(g, queues, 3);
      u.List("queueIds", Strs(q.queue_ids));
    }
    if (g.Chance(15)) {
      if (g.Chance(40)) {
        q.queue_id = {0};
        u.Single("queueId", "0");
      } else {
        q.queue_id = Subset(g, queues, 2);
        u.List("queueId", Strs(q.queue_id));
      }
    }
    if (g.Chance(15)) {
      q.agent_ids = Subset(g, agent_pool, 3);
      u.List("agentIds", q.agent_ids);
    }
    // Often both together, so that matching either instead of both shows:
    // agentUserId one of agentIds (the two come to one agent) or any agent.
    if (g.Chance(q.agent_ids.empty() ? 10 : 60)) {
      std::string one = !q.agent_ids.empty() && g.Chance(40) ? g.Pick(q.agent_ids) : g.Pick(agent_pool);
      q.agent_user_id = {one};
      u.Single("agentUserId", one);
    }
    if (g.Chance(15)) {
      q.summary_ids = Subset(g, summary_pool, 3);
      u.List("summaryIds", Strs(q.summary_ids));
    }
    if (g.Chance(12)) {
      q.enquiry_tag_ids = Subset(g, etag_pool, 3);
      u.List("enquiryTagIds", Strs(q.enquiry_tag_ids));
    }
    auto bound = [&](const char* name, int field, std::optional<long long>& out) {
      out = instant(field);
      u.Single(name, iso(*out));
    };
    if (g.Chance(15)) bound("beginDate", 1, q.begin);
    if (g.Chance(15)) bound("endDate", 1, q.end);
    if (g.Chance(18)) bound("stopDateFrom", 0, q.stop_from);
    if (g.Chance(18)) bound("stopDateTo", 0, q.stop_to);
    if (g.Chance(15)) bound("createDateFrom", 2, q.create_from);
    if (g.Chance(15)) bound("createDateTo", 2, q.create_to);
    if (!g.Chance(35)) {
      static const std::vector<std::string> fields = {"stopDateTime", "startDateTime",
                                                      "createDatetime", "createDateTime"};
      int f = static_cast<int>(g.U32() % 4);
      q.sort_field = f == 0 ? 0 : f == 1 ? 1 : 2;
      u.Single("sortField", fields[f]);
    }
    if (!g.Chance(35)) {
      static const std::vector<std::string> orders = {"asc", "desc", "ASC", "Desc"};
      std::string o = g.Pick(orders);
      q.asc = Lower(o) == "asc";
      u.Single("sortOrder", o);
    }
    if (g.Chance(10)) u.Raw("isAgent=false&orderType=");
    if (g.Chance(5)) u.Raw("unknownParam=42");

    // Page and size, chosen against the model's total.
    long long total = Evaluate(sa, [&] {
                        Query c = q;
                        c.page = 1;
                        c.per_page = 50;
                        return c;
                      }()).total;
    if (!g.Chance(25)) {
      static const std::vector<long long> sizes = {1, 2, 3, 5, 10, 20, 37, 50};
      q.per_page = g.Pick(sizes);
      u.Single("per_page", std::to_string(q.per_page));
    }
    long long pages = (total + q.per_page - 1) / q.per_page;
    int pk = static_cast<int>(g.U32() % 100);
    if (pk < 45) q.page = 1;
    else if (pk < 90) q.page = 1 + g.Range(0, pages);  // up to one past the end
    else q.page = g.Range(pages + 1, pages + 1000);
    if (q.page != 1 || g.Chance(50)) u.Single("page", std::to_string(q.page));

    std::string query = u.Build();
    Expected want = Evaluate(sa, q);
    if (!want.page.empty()) ++nonempty;
    auto r = Get("/api/tenants/" + std::to_string(a.id) + "/serviceSessionHistorys?" + query, ta);
    Page got = ParsePage(r.body);
    std::vector<std::string> want_ids;
    for (auto* s : want.page) want_ids.push_back(s->id);
    bool ok = r.status == 200 && got.total == want.total && got.ids == want_ids;
    for (auto& id : got.ids)
      if (b_ids.count(id)) {
        ok = false;
        ADD_FAILURE() << "tenant B's session " << id << " in tenant A's answer: " << query;
      }
    if (!ok) {
      ++failures;
      if (bool_list) ++bool_list_failures;
      // Show every kind: at most 3 of those with a true+false boolean list.
      if ((bool_list && bool_list_failures <= 3) || (!bool_list && failures - bool_list_failures <= 12)) {
        size_t diff = 0;
        while (diff < want_ids.size() && diff < got.ids.size() && want_ids[diff] == got.ids[diff])
          ++diff;
        std::string ctx;
        if (diff < want_ids.size()) {
          for (auto& s : sa)
            if (s.id == want_ids[diff]) ctx += "\n  expected item there: " + s.json.substr(0, 900);
        }
        if (diff < got.ids.size()) ctx += "\n  got item there: " + got.items[diff].substr(0, 900);
        ADD_FAILURE() << "seed " << seed << " query #" << qi << " differs from the model\n  GET /api/tenants/" << a.id
                      << "/serviceSessionHistorys?" << query << "\n  HTTP " << r.status
                      << "\n  total_entries: got " << got.total << ", want " << want.total
                      << "\n  ids on page: got " << got.ids.size() << ", want " << want_ids.size()
                      << ", first difference at index " << diff << ctx
                      << (r.status != 200 ? "\n  body: " + r.body.substr(0, 600) : "");
      }
      continue;
    }
    for (size_t i = 0; i < got.ids.size(); ++i) {
      if (got.items[i] != want_json[got.ids[i]]) {
        ++json_failures;
        if (json_failures <= 3)
          ADD_FAILURE() << "item JSON differs from what was imported\n  query: " << query
                        << "\n  got:  " << got.items[i] << "\n  want: " << want_json[got.ids[i]];
      }
    }
  }
  auto t_end = std::chrono::steady_clock::now();
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::cerr << "[history differential] " << sa.size() << "+" << sb.size() << " sessions imported in "
            << secs(t_import - t0) << " s; " << kQueries << " queries (" << nonempty
            << " with a non-empty page) in " << secs(t_end - t_import) << " s; " << failures
            << " mismatching (" << bool_list_failures
            << " of them with transfered/fromAgentCallback=true,false), " << json_failures
            << " item JSON mismatches\n";
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(json_failures, 0);
  EXPECT_GT(nonempty, kQueries / 3) << "the generator makes too many empty pages to be useful";
}

// Walk every page of a few orderings: the pages concatenate to the model's full
// order, every session exactly once.
TEST_F(HistoryDifferentialTest, AllPagesConcatenateToTheModelOrder) {
  TenantCreds a = CreateTenant("diff-pages", 0, "UTC+8");
  StartServer();
  std::string ta = IssueToken(a);
  Gen g(777u);
  std::vector<AgentRec> agents;
  for (int i = 0; i < 4; ++i) agents.push_back({g.Uuid(), "n" + std::to_string(i), "t", "u@x.com"});
  std::set<std::string> used;
  const long long base = LocalToEpoch("2024-01-01 00:00:00", kTz);
  // A short span forces many ties.
  auto sa = MakeSessions(g, a.id, kTz, 400, agents, base, 3 * 3600, used);
  std::vector<std::string> items;
  for (auto& s : sa) items.push_back(s.json);
  auto r = Call("POST", "/api/tenants/" + std::to_string(a.id) + "/serviceSessionHistorys/import",
                Array(items), ta);
  ASSERT_TRUE(IsOk(r));
  for (const char* field : {"stopDateTime", "startDateTime", "createDatetime"}) {
    for (const char* order : {"asc", "desc"}) {
      Query q;
      q.states = {"Wait", "Processing", "Terminal", "Abort"};
      q.sort_field = std::string(field) == "stopDateTime" ? 0 : std::string(field) == "startDateTime" ? 1 : 2;
      q.asc = std::string(order) == "asc";
      q.per_page = 400;
      Expected want = Evaluate(sa, q);
      std::vector<std::string> want_ids, got_ids;
      for (auto* s : want.page) want_ids.push_back(s->id);
      for (int p = 1; p <= 9; ++p) {
        std::string query = "state=Wait,Processing,Terminal,Abort&per_page=50&page=" +
                            std::to_string(p) + "&sortField=" + field + "&sortOrder=" + order;
        auto resp = Get("/api/tenants/" + std::to_string(a.id) + "/serviceSessionHistorys?" + query, ta);
        ASSERT_TRUE(IsHistoryPage(resp)) << query;
        Page pg = ParsePage(resp.body);
        EXPECT_EQ(pg.total, 400) << query;
        got_ids.insert(got_ids.end(), pg.ids.begin(), pg.ids.end());
      }
      EXPECT_EQ(got_ids, want_ids) << field << " " << order;
    }
  }
}

}  // namespace
}  // namespace hist
}  // namespace bb
