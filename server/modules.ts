import type { Module } from "./Module.ts";
import { demoModule } from "./demo/demoModule.ts";
import { knowledgeModule } from "./knowledge/knowledgeModule.ts";
import { assistantModule } from "./assistant/assistantModule.ts";
import { channelsModule } from "./channels/channelsModule.ts";
import { webhooksModule } from "./webhooks/webhooksModule.ts";
import { assignmentModule } from "./assignment/assignmentModule.ts";
import { agentAssistModule } from "./assistant/agentAssist/agentAssistModule.ts";
import { attachmentsModule } from "./attachments/attachmentsModule.ts";
import { bankingModule } from "./banking/bankingModule.ts";
import { stepUpModule } from "./stepup/stepUpModule.ts";
import { casesModule } from "./cases/casesModule.ts";
import { customToolsModule } from "./customTools/customToolsModule.ts";
import { slaModule } from "./sla/slaModule.ts";
import { snoozeModule } from "./conversations/snoozeModule.ts";
import { automationModule } from "./automation/automationModule.ts";
import { accessLogModule } from "./accessLog/accessLogModule.ts";
import { retentionModule } from "./retention/retentionModule.ts";
import { contactsModule } from "./contacts/contactsModule.ts";
import { ssoModule } from "./sso/ssoModule.ts";
import { twoFactorModule } from "./twoFactor/twoFactorModule.ts";
import { npsModule } from "./nps/npsModule.ts";
import { earlyWarningModule } from "./earlyWarning/earlyWarningModule.ts";
import { segmentsModule } from "./segments/segmentsModule.ts";

/** Every feature area, in the order their hooks run. */
export const modules: Module[] = [
  knowledgeModule,
  assistantModule,
  agentAssistModule,
  assignmentModule,
  demoModule,
  channelsModule,
  webhooksModule,
  attachmentsModule,
  bankingModule,
  stepUpModule,
  casesModule,
  customToolsModule,
  slaModule,
  snoozeModule,
  automationModule,
  accessLogModule,
  retentionModule,
  contactsModule,
  ssoModule,
  twoFactorModule,
  npsModule,
  earlyWarningModule,
  segmentsModule,
];

/** Every feature's sealed secrets, for resealSecrets (at start and `bankdesk secrets rotate`). */
export const sealedSecrets = modules.flatMap((m) => m.sealedSecrets ?? []);
