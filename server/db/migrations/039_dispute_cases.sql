-- Disputes of unrecognised transactions (issue #16 §4): the assistant opens a complaint
-- case for a transaction a verified customer disputes. The case keeps what was disputed
-- (transaction id, amount, merchant, date: never a card number) and the key of the
-- confirmation that opened it, so a retried reply job or a second "yes" finds that case.
ALTER TABLE cases ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN request_key text CHECK (request_key IS NULL OR char_length(request_key) <= 200);
CREATE UNIQUE INDEX cases_request_key ON cases (request_key) WHERE request_key IS NOT NULL;

-- Regulators count unauthorised card transactions on their own (the FCA's complaints
-- return, NFRA's 银行卡盗刷 class): a category of its own beside "payments" and "fraud".
INSERT INTO case_taxonomy (kind, code, name_en, name_zh, position) VALUES
  ('category', 'unrecognised_transaction', 'Unauthorised or unrecognised transactions', '未经授权或无法识别的交易', 45)
ON CONFLICT (kind, code) DO NOTHING;
