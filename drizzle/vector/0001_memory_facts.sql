ALTER TABLE "memories" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "memories_owner_hash_idx" ON "memories" USING btree ("owner_id","hash");