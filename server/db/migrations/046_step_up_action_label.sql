-- Step-up for one of the bank's own tools (issue #16): what the customer read the action
-- called when the code was asked for (the tool's label in their language, "track your
-- card delivery"), so a resent code and the agents' note name it the same way instead of
-- by the tool's snake_case name. Null for the built-in actions, which have their own words.
ALTER TABLE step_up_challenges ADD COLUMN IF NOT EXISTS action_label text CHECK (char_length(action_label) <= 200);
