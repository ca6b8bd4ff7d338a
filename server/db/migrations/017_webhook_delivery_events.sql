-- A starting worker asks whether a message's webhook delivery was attempted
-- (webhooks/deliverWebhook.ts, requeueUndeliveredMessages).
CREATE INDEX IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries (webhook_id, event_id);
