#include "api/error_mapping.h"
#include "api/handlers.h"
#include "api/json_writer.h"

namespace kefu::api {

ApiResponse CheckHealth(Services& s, const Call&) {
  Status ready = s.health.Ready();
  return ready.ok() ? OkResponse() : ErrorResponse(ready);
}

}  // namespace kefu::api
