ALTER TABLE "messages" ADD COLUMN "cost_usd" double precision;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "cost_usd" double precision;