import {
  batchTransportConformance,
  destinationTransportConformance,
} from './destination-transport.conformance.js';
import { httpFixture, slackFixture } from '../helpers/http-transport-fixtures.js';
import { natsFixture, rabbitmqFixture, redisFixture } from '../helpers/broker-transport-fixtures.js';
import { emailFixture } from '../helpers/email-transport-fixture.js';
import { SERVICE_URLS, serviceProblem, serviceSuite } from '../helpers/service-suite.js';

const [nats, rabbitmq, redis] = await Promise.all(
  [SERVICE_URLS.nats, SERVICE_URLS.rabbitmq, SERVICE_URLS.redis].map(serviceProblem),
);

destinationTransportConformance('http (local HTTP server)', httpFixture);
destinationTransportConformance('slack (local incoming-webhook server)', slackFixture);
destinationTransportConformance('email (local SMTP server)', emailFixture);
serviceSuite('NATS JetStream', nats, () => {
  destinationTransportConformance('nats (JetStream)', natsFixture);
  batchTransportConformance('nats (JetStream, pipelined publish)', natsFixture);
});
serviceSuite('RabbitMQ', rabbitmq, () =>
  destinationTransportConformance('rabbitmq (confirm channel)', rabbitmqFixture),
);
serviceSuite('Redis', redis, () => destinationTransportConformance('redis (XADD)', redisFixture));
