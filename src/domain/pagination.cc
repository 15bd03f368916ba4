#include "domain/pagination.h"

#include <fmt/format.h>

#include "common/limits.h"
#include "common/text.h"

namespace kefu::domain {

Result<PageRequest> ParsePageRequest(std::optional<std::string_view> page,
                                     std::optional<std::string_view> size) {
  PageRequest r{limits::kAgentPageDefault, limits::kAgentSizeDefault};
  if (page && !page->empty()) {
    auto v = ParseInteger(*page, INT32_MIN, INT32_MAX);
    if (!v) return Error(Code::kInvalidParam, "page must be an integer");
    if (*v < 0) return Error(Code::kPageIndex, "page must be 0 or more");
    r.page = *v;
  }
  if (size && !size->empty()) {
    auto v = ParseInteger(*size, INT32_MIN, INT32_MAX);
    if (!v) return Error(Code::kInvalidParam, "size must be an integer");
    if (*v > limits::kAgentSizeMax) {
      return Error(Code::kPageSize, fmt::format("size must be at most {}", limits::kAgentSizeMax));
    }
    if (*v < 1) return Error(Code::kInvalidParam, "size must be at least 1");
    r.size = *v;
  }
  return r;
}

PageInfo ComputePageInfo(const PageRequest& request, int64_t total_elements,
                         int64_t number_of_elements) {
  PageInfo p;
  p.size = request.size;
  p.number = request.page;
  p.number_of_elements = number_of_elements;
  p.total_elements = total_elements;
  p.total_pages = (total_elements + request.size - 1) / request.size;
  p.first = request.page == 0;
  p.last = request.page + 1 >= p.total_pages;
  return p;
}

}  // namespace kefu::domain
