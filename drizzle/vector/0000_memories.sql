-- Added by hand: drizzle-kit does not track extensions.
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE TABLE "memories" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"conversation_id" text,
	"kind" text,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"embedding" vector(384) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "memories_embedding_hnsw_idx" ON "memories" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "memories_owner_idx" ON "memories" USING btree ("owner_id","conversation_id");