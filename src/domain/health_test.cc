// HealthCheck follows the database: ready while it answers.
#include "domain/health.h"

#include <gtest/gtest.h>

#include "store/fake/fake_database_store.h"

namespace kefu::domain {
namespace {

TEST(HealthCheckTest, ReadyWhileTheDatabaseAnswers) {
  store::fake::FakeDatabaseStore database;
  HealthCheck health(database);
  EXPECT_TRUE(health.Ready().ok());
  database.FailWith(Error(Code::kStoreUnavailable, "down"));
  EXPECT_EQ(health.Ready().code(), Code::kStoreUnavailable);
  database.FailWith(Status::Ok());
  EXPECT_TRUE(health.Ready().ok());
}

}  // namespace
}  // namespace kefu::domain
