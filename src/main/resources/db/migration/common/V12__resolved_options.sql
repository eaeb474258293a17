-- How a request changed its service's options when it was admitted ($token$ values filled,
-- _overwritable_options overrides taken), as JSON {option: value} (a null value unsets the option);
-- NULL when it changed none. Server-owned: written once at admission, read at hand-off so the engine
-- gets the same options admission used. Never taken from a client.
ALTER TABLE callback ADD COLUMN resolved_options VARCHAR;
