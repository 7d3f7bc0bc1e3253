/**
 * The eForms contract notice (UBL 2.3 ContractNotice, eForms SDK 1.15): subtype 16 (afsnit II)
 * or 20 (light regime, afsnit III), written from the notice facts. Comments name the eForms
 * business terms (BT-…); the order of elements follows the UBL schema's sequences.
 */
import { danishOffset, type Criterion, type Deadline, type LotFacts, type NoticeFacts, type Party } from "./facts.js";
import { el, serialize, text, type XmlElement } from "./xml.js";

const NS: Record<string, string> = {
  xmlns: "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
  "xmlns:cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  "xmlns:cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
  "xmlns:ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
  "xmlns:efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
  "xmlns:efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
  "xmlns:efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
};

const DAN = { languageID: "DAN" };

/** Amounts as eForms wants them: plain decimals, no grouping. */
function amount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function extension(...children: (XmlElement | null | undefined | false)[]): XmlElement {
  return el("ext:UBLExtensions", undefined, el("ext:UBLExtension", undefined, el("ext:ExtensionContent", undefined, el("efext:EformsExtension", undefined, ...children))));
}

function orgRef(id: string): XmlElement {
  return el("cac:PartyIdentification", undefined, text("cbc:ID", id, { schemeName: "organization" }));
}

function organization(p: Party): XmlElement {
  return el(
    "efac:Organization",
    undefined,
    el(
      "efac:Company",
      undefined,
      text("cbc:WebsiteURI", p.website), // BT-505
      orgRef(p.id), // OPT-200
      el("cac:PartyName", undefined, text("cbc:Name", p.name, DAN)), // BT-500
      el(
        "cac:PostalAddress",
        undefined,
        text("cbc:StreetName", p.address.gade), // BT-510
        text("cbc:CityName", p.address.by), // BT-513
        text("cbc:PostalZone", p.address.postnummer), // BT-512
        text("cbc:CountrySubentityCode", p.nuts, { listName: "nuts" }), // BT-507
        el("cac:Country", undefined, text("cbc:IdentificationCode", "DNK", { listName: "country" })), // BT-514
      ),
      el("cac:PartyLegalEntity", undefined, text("cbc:CompanyID", p.cvr)), // BT-501: CVR
      el(
        "cac:Contact",
        undefined,
        text("cbc:Name", p.contactName), // BT-502
        text("cbc:Telephone", p.phone), // BT-503
        text("cbc:ElectronicMail", p.email), // BT-506
      ),
    ),
  );
}

function period(name: string, d: Deadline | undefined): XmlElement | null {
  if (!d) return null;
  return el(name, undefined, text("cbc:EndDate", `${d.date}${d.offset}`), text("cbc:EndTime", `${d.time}:00${d.offset}`));
}

function criterion(c: Criterion): XmlElement {
  return el(
    "cac:SubordinateAwardingCriterion",
    undefined,
    extension(
      el(
        "efac:AwardCriterionParameter",
        undefined,
        text("efbc:ParameterCode", "per-exa", { listName: "number-weight" }), // BT-5421
        text("efbc:ParameterNumeric", c.weight), // BT-541
      ),
    ),
    text("cbc:AwardingCriterionTypeCode", c.type, { listName: "award-criterion-type" }), // BT-539
    text("cbc:Name", c.name, DAN), // BT-734
    text("cbc:Description", c.description, DAN), // BT-540
  );
}

function classification(cpv: string[]): XmlElement[] {
  return [
    el("cac:MainCommodityClassification", undefined, text("cbc:ItemClassificationCode", cpv[0], { listName: "cpv" })), // BT-262
    ...cpv.slice(1).map((c) => el("cac:AdditionalCommodityClassification", undefined, text("cbc:ItemClassificationCode", c, { listName: "cpv" }))), // BT-263
  ];
}

function location(nuts: string, description: string | undefined): XmlElement {
  return el(
    "cac:RealizedLocation",
    undefined,
    text("cbc:Description", description, DAN), // BT-728
    el(
      "cac:Address",
      undefined,
      text("cbc:CountrySubentityCode", nuts, { listName: "nuts" }), // BT-5071
      el("cac:Country", undefined, text("cbc:IdentificationCode", "DNK", { listName: "country" })), // BT-5141
    ),
  );
}

function lot(f: NoticeFacts, l: LotFacts): XmlElement {
  // Subtype 16 (afsnit II) asks for more fields; their values are the tool's stated defaults
  // (docs/bekendtgoerelse.md): no EU funds, e-invoicing required, no e-catalogue, no auction, no DPS.
  const standard = f.subtype === "16";
  return el(
    "cac:ProcurementProjectLot",
    undefined,
    text("cbc:ID", l.id, { schemeName: "Lot" }), // BT-137
    el(
      "cac:TenderingTerms",
      undefined,
      standard && text("cbc:FundingProgramCode", "no-eu-funds", { listName: "eu-funded" }), // BT-60
      el(
        "cac:CallForTendersDocumentReference",
        undefined,
        text("cbc:ID", "UDBUDSMATERIALE"),
        text("cbc:DocumentType", "non-restricted-document"), // BT-14
        el("cac:Attachment", undefined, el("cac:ExternalReference", undefined, text("cbc:URI", f.documentsUrl))), // BT-15
      ),
      el("cac:TendererQualificationRequest", undefined, el("cac:SpecificTendererRequirement", undefined, text("cbc:TendererRequirementTypeCode", "none", { listName: "reserved-procurement" }))), // BT-71
      el("cac:TendererQualificationRequest", undefined, el("cac:SpecificTendererRequirement", undefined, text("cbc:TendererRequirementTypeCode", "epo-procurement-document", { listName: "selection-criteria-source" }))), // BT-821
      el("cac:ContractExecutionRequirement", undefined, text("cbc:ExecutionRequirementCode", "no", { listName: "reserved-execution" })), // BT-736
      standard && el("cac:ContractExecutionRequirement", undefined, text("cbc:ExecutionRequirementCode", "required", { listName: "einvoicing" })), // BT-743
      standard && el("cac:ContractExecutionRequirement", undefined, text("cbc:ExecutionRequirementCode", "not-allowed", { listName: "ecatalog-submission" })), // BT-764
      el("cac:AwardingTerms", undefined, el("cac:AwardingCriterion", undefined, ...l.criteria.map(criterion))),
      el("cac:TenderRecipientParty", undefined, text("cbc:EndpointID", f.submissionUrl)), // BT-18
      f.validityMonths !== undefined && el("cac:TenderValidityPeriod", undefined, text("cbc:DurationMeasure", f.validityMonths, { unitCode: "MONTH" })), // BT-98
      el(
        "cac:AppealTerms",
        undefined,
        standard && el("cac:AppealInformationParty", undefined, orgRef(f.reviewBody.id)), // OPT-301 review info
        el("cac:AppealReceiverParty", undefined, orgRef(f.reviewBody.id)), // OPT-301 review org
      ),
      ...f.languages.map((lang) => el("cac:Language", undefined, text("cbc:ID", lang))), // BT-97
      standard &&
        el(
          "cac:PostAwardProcess",
          undefined,
          text("cbc:ElectronicOrderUsageIndicator", "false"), // BT-92
          text("cbc:ElectronicPaymentUsageIndicator", "true"), // BT-93
        ),
    ),
    el(
      "cac:TenderingProcess",
      undefined,
      text("cbc:SubmissionMethodCode", "required", { listName: "esubmission" }), // BT-17
      standard && text("cbc:GovernmentAgreementConstraintIndicator", "true"), // BT-115
      period("cac:TenderSubmissionDeadlinePeriod", f.deadlines.tenders), // BT-131: open procedures only
      f.deadlines.invitations && el("cac:InvitationSubmissionPeriod", undefined, text("cbc:StartDate", `${f.deadlines.invitations.date}${f.deadlines.invitations.offset}`)), // BT-130
      period("cac:ParticipationRequestReceptionPeriod", f.deadlines.requests), // BT-1311
      period("cac:AdditionalInformationRequestPeriod", f.deadlines.questions), // BT-13
      f.shortList &&
        el(
          "cac:EconomicOperatorShortList",
          undefined,
          text("cbc:LimitationDescription", "true"), // BT-661
          text("cbc:MaximumQuantity", f.shortList.max), // BT-51
          text("cbc:MinimumQuantity", f.shortList.min), // BT-50
        ),
      standard && el("cac:AuctionTerms", undefined, text("cbc:AuctionConstraintIndicator", "false")), // BT-767
      el("cac:FrameworkAgreement", undefined, text("cbc:MaximumOperatorQuantity", l.suppliers)), // BT-113
      el("cac:ContractingSystem", undefined, text("cbc:ContractingSystemTypeCode", f.frameworkType, { listName: "framework-agreement" })), // BT-765
      standard && el("cac:ContractingSystem", undefined, text("cbc:ContractingSystemTypeCode", "none", { listName: "dps-usage" })), // BT-766
    ),
    el(
      "cac:ProcurementProject",
      undefined,
      text("cbc:ID", String(l.number), { schemeName: "InternalID" }), // BT-22
      text("cbc:Name", l.title, DAN), // BT-21
      text("cbc:Description", l.description, DAN), // BT-24
      text("cbc:ProcurementTypeCode", "services", { listName: "contract-nature" }), // BT-23
      (l.estimatedValue !== undefined || l.maximumValue !== undefined) &&
        el(
          "cac:RequestedTenderTotal",
          undefined,
          l.maximumValue !== undefined && extension(text("efbc:FrameworkMaximumAmount", amount(l.maximumValue), { currencyID: f.currency })), // BT-271
          l.estimatedValue !== undefined && text("cbc:EstimatedOverallContractAmount", amount(l.estimatedValue), { currencyID: f.currency }), // BT-27
        ),
      ...classification(l.cpv),
      location(l.nuts, l.placeDescription),
      el("cac:PlannedPeriod", undefined, text("cbc:StartDate", `${f.start}${offsetOf(f.start)}`), text("cbc:EndDate", `${f.end}${offsetOf(f.end)}`)), // BT-536, BT-537
      (!!l.optionsDescription || f.renewals > 0) &&
        el(
          "cac:ContractExtension",
          undefined,
          text("cbc:OptionsDescription", l.optionsDescription, DAN), // BT-54
          f.renewals > 0 && text("cbc:MaximumNumberNumeric", f.renewals), // BT-58
          !!f.renewalDescription && el("cac:Renewal", undefined, el("cac:Period", undefined, text("cbc:Description", f.renewalDescription, DAN))), // BT-57
        ),
    ),
  );
}

function offsetOf(date: string): string {
  return danishOffset(date);
}

/** The notice as an XML element tree. */
export function noticeElement(f: NoticeFacts): XmlElement {
  const standard = f.subtype === "16";
  return el(
    "ContractNotice",
    NS,
    extension(
      el("efac:NoticeSubType", undefined, text("cbc:SubTypeCode", f.subtype, { listName: "notice-subtype" })), // OPP-070
      el("efac:Organizations", undefined, organization(f.buyer), organization(f.reviewBody)),
    ),
    text("cbc:UBLVersionID", "2.3"),
    text("cbc:CustomizationID", "eforms-sdk-1.15"),
    text("cbc:ID", f.noticeId, { schemeName: "notice-id" }), // BT-701
    text("cbc:ContractFolderID", f.folderId), // BT-04
    text("cbc:IssueDate", `${f.issueDate}${f.issueOffset}`), // BT-05
    text("cbc:IssueTime", `09:00:00${f.issueOffset}`),
    text("cbc:VersionID", "01"), // BT-757
    text("cbc:RegulatoryDomain", "32014L0024"), // BT-01: direktiv 2014/24/EU
    text("cbc:NoticeTypeCode", standard ? "cn-standard" : "cn-social", { listName: "competition" }), // BT-02, BT-03
    text("cbc:NoticeLanguageCode", "DAN"), // BT-702
    el(
      "cac:ContractingParty",
      undefined,
      el("cac:ContractingPartyType", undefined, text("cbc:PartyTypeCode", f.buyerType, { listName: "buyer-legal-type" })), // BT-11
      el("cac:ContractingActivity", undefined, text("cbc:ActivityTypeCode", "gen-pub", { listName: "authority-activity" })), // BT-10
      el("cac:Party", undefined, orgRef(f.buyer.id)),
    ),
    el(
      "cac:TenderingTerms",
      undefined,
      el("cac:TendererQualificationRequest", undefined, el("cac:SpecificTendererRequirement", undefined, text("cbc:TendererRequirementTypeCode", "epo-procurement-document", { listName: "exclusion-grounds-source" }))), // BT-806
      standard && f.lots.length > 1 && el("cac:LotDistribution", undefined, text("cbc:MaximumLotsSubmittedNumeric", f.lots.length)), // BT-31: tenders for every lot
    ),
    el(
      "cac:TenderingProcess",
      undefined,
      text("cbc:Description", f.procedureDescription, DAN), // BT-88
      text("cbc:ProcedureCode", f.procedureCode, { listName: "procurement-procedure-type" }), // BT-105
      standard && el("cac:ProcessJustification", undefined, text("cbc:ProcessReasonCode", "false", { listName: "accelerated-procedure" })), // BT-106
    ),
    el(
      "cac:ProcurementProject",
      undefined,
      text("cbc:ID", f.internalId, { schemeName: "InternalID" }), // BT-22
      text("cbc:Name", f.title, DAN), // BT-21
      text("cbc:Description", f.description, DAN), // BT-24
      text("cbc:ProcurementTypeCode", "services", { listName: "contract-nature" }), // BT-23
      el(
        "cac:RequestedTenderTotal",
        undefined,
        f.maximumValue !== undefined && extension(text("efbc:FrameworkMaximumAmount", amount(f.maximumValue), { currencyID: f.currency })), // BT-271
        text("cbc:EstimatedOverallContractAmount", amount(f.estimatedValue), { currencyID: f.currency }), // BT-27
      ),
      ...classification(f.cpv),
      location(f.nuts, f.placeDescription),
    ),
    ...f.lots.map((l) => lot(f, l)),
  );
}

/** The notice as XML text (UTF-8, deterministic). */
export function buildNoticeXml(f: NoticeFacts): string {
  return serialize(noticeElement(f));
}
