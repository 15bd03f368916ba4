// The agent object of the published examples (CONTRACT §4), key for key.
#pragma once

#include "api/json_writer.h"
#include "common/time_format.h"
#include "store/records.h"

namespace kefu::api {

void WriteAgent(JsonOut& out, const store::Agent& agent, TimeZone zone);

}  // namespace kefu::api
