#!/usr/bin/env bash
# Starts the local services the tests and distributed mode use (Redis on 6379, RabbitMQ on 5672) when
# they are not already answering. Idempotent; safe to run before every test run. A service whose server
# is not installed is reported and skipped: embedded mode and its tests need neither.
set -u

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # name port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    port_open "$2" && { echo "start-services: $1 is up on 127.0.0.1:$2"; return 0; }
    sleep 0.1
  done
  echo "start-services: $1 did not come up on 127.0.0.1:$2 within $3 s" >&2
  return 1
}

status=0
if port_open 6379; then
  echo "start-services: redis already running on 127.0.0.1:6379"
elif command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_port redis 6379 15 || status=1
else
  echo "start-services: redis-server is not installed; skipping (distributed mode needs it)" >&2
fi

if port_open 5672; then
  echo "start-services: rabbitmq already running on 127.0.0.1:5672"
elif command -v rabbitmq-server >/dev/null 2>&1; then
  rabbitmq-server -detached >/dev/null 2>&1
  wait_port rabbitmq 5672 90 || status=1
else
  echo "start-services: rabbitmq-server is not installed; skipping (distributed mode needs it)" >&2
fi
exit $status
