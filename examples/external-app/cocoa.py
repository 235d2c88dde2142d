#!/usr/bin/env python3
"""COCOA 2.x and 1.1.4 as an external app of ichiren's app protocol (docs/app-protocol.md).

Standard library only. The app does its own HTTP (configuration, list.json, export files, upload)
and asks ichiren's simulated EN framework for its keys and for detection. Its verdicts come from the
mechanisms of each build (cocoa.md §1.2, §1.5, §1.6, §4), never from a version name:
  2.x    /v3/diagnosis without TRL; configuration.json + risk_calculation_configuration.json;
         ExposureWindows where the OS offers them (a day is High when every condition holds),
         else legacy v1 with the google minimum on the summary and on each item.
  1.1.4  /diagnosis with the OS key's TRL as it is (0); Configration.json (default minimum 21);
         the summary's highest score gates the exposure informations.

    python3 cocoa.py --build 2.x
"""

import argparse
import base64
import datetime
import json
import os
import secrets
import sys
import urllib.error
import urllib.request
import uuid

from rpc import Rpc

PROTOCOL_VERSION = "1.0"
DAY = 86400
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "defaults.json"), encoding="utf-8") as f:
    DEFAULTS = json.load(f)  # the documents as compiled into the app (its fallbacks)

# ---------------------------------------------------------------- HTTP (the app's own)

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy


def http(server, method, url, body=None, headers=None):
    """(status, bytes); status None when no answer came."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    h = {"accept": "application/json", "x-functions-key": server["apiSecret"]}
    if data is not None:
        h["content-type"] = "application/json"
    h.update(headers or {})
    request = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with OPENER.open(request, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError):
        return None, b""


def slash(u):
    return u if u.endswith("/") else u + "/"


def api(server, path):
    return slash(server["apiUrlBase"]) + path


def cdn(server, path):
    return slash(server["cdnUrlBase"]) + path


# ---------------------------------------------------------------- configuration (strict parsing)


class ConfigError(Exception):
    def __init__(self, member, reason):
        super().__init__("%s: %s" % (member, reason))
        self.member, self.reason = member, reason


def member(obj, path, kind, length=None):
    """obj[path] checked: 'num', 'nums' (exact length), 'obj' or 'str'."""
    value = obj
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ConfigError(path, "missing")
        value = value[part]
    number = lambda x: isinstance(x, (int, float)) and not isinstance(x, bool)
    ok = {
        "num": number(value),
        "nums": isinstance(value, list) and len(value) == length and all(number(x) for x in value),
        "obj": isinstance(value, dict),
        "str": isinstance(value, str),
    }[kind]
    if not ok:
        raise ConfigError(path, "expected %s, got %s" % (kind, json.dumps(value)[:40]))
    return value


INFECTIOUSNESS = {"None": 0, "Standard": 1, "High": 2}
REPORT_TYPE = {"Unknown": 0, "ConfirmedTest": 1, "ConfirmedClinicalDiagnosis": 2, "SelfReport": 3, "Recursive": 4, "Revoked": 5}


def enum(value, names, path):
    if isinstance(value, int) and value in names.values():
        return value
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, str) and value.lstrip("-").isdigit() and int(value) in names.values():
        return int(value)
    raise ConfigError(path, "expected one of %s" % sorted(names))


def dsos(doc, path):
    return {k: enum(v, INFECTIOUSNESS, path + "." + k) for k, v in member(doc, path, "obj").items()}


def weights(doc, path, names):
    out = {}
    for k, v in member(doc, path, "obj").items():
        out[str(enum(k, names, path + "." + k))] = member(doc, path + "." + k, "num")
    return out


def parse_chino(doc):
    """configuration.json (Chino, snake_case) → what each platform's framework is given."""
    g = "google_exposure_config."
    thresholds = member(doc, g + "duration_at_attenuation_thresholds", "nums", 2)
    a1, a2 = "apple_exposure_config_v1.", "apple_exposure_config_v2."
    gm, gd = "google_diagnosis_keys_data_mapping_config.", "google_daily_summaries_config."
    return {
        "v1": {
            "android": {
                "minimumRiskScore": member(doc, g + "minimum_risk_score", "num"),
                "attenuationScores": member(doc, g + "attenuation_scores", "nums", 8),
                "daysSinceLastExposureScores": member(doc, g + "days_since_last_exposure_scores", "nums", 8),
                "durationScores": member(doc, g + "duration_scores", "nums", 8),
                "transmissionRiskScores": member(doc, g + "transmission_risk_scores", "nums", 8),
                "durationAtAttenuationThresholds": thresholds,
                "attenuationWeight": member(doc, g + "attenuation_weight", "num"),
                "daysSinceLastExposureWeight": member(doc, g + "days_since_last_exposure_weight", "num"),
                "durationWeight": member(doc, g + "duration_weight", "num"),
                "transmissionRiskWeight": member(doc, g + "transmission_risk_weight", "num"),
            },
            "ios": {
                "minimumRiskScore": member(doc, a1 + "minimum_risk_score", "num"),
                "attenuationScores": member(doc, a1 + "attenuation_level_values", "nums", 8),
                "daysSinceLastExposureScores": member(doc, a1 + "days_since_last_exposure_level_values", "nums", 8),
                "durationScores": member(doc, a1 + "duration_level_values", "nums", 8),
                "transmissionRiskScores": member(doc, a1 + "transmission_risk_level_values", "nums", 8),
                "durationAtAttenuationThresholds": thresholds,
                "minimumRiskScoreFullRange": member(doc, a1 + "minimum_risk_score_full_range", "num"),
            },
        },
        "mapping": {
            "android": {
                "daysSinceOnsetToInfectiousness": dsos(doc, gm + "infectiousness_for_days_since_onset_of_symptoms"),
                "infectiousnessWhenDaysSinceOnsetMissing": enum(
                    (doc.get("google_diagnosis_keys_data_mapping_config") or {}).get("infectiousness_when_days_since_onset_missing"),
                    INFECTIOUSNESS, gm + "infectiousness_when_days_since_onset_missing"),
                "reportTypeWhenMissing": enum(
                    (doc.get("google_diagnosis_keys_data_mapping_config") or {}).get("report_type_when_missing"),
                    REPORT_TYPE, gm + "report_type_when_missing"),
            },
            "ios": {
                "daysSinceOnsetToInfectiousness": dsos(doc, a2 + "infectiousness_for_days_since_onset_of_symptoms"),
                "infectiousnessWhenDaysSinceOnsetMissing": enum(
                    (doc.get("apple_exposure_config_v2") or {}).get("infectiousness_when_days_since_onset_missing"),
                    INFECTIOUSNESS, a2 + "infectiousness_when_days_since_onset_missing"),
                "reportTypeWhenMissing": enum(
                    (doc.get("apple_exposure_config_v2") or {}).get("report_type_none_map"),
                    REPORT_TYPE, a2 + "report_type_none_map"),
            },
        },
        "android": {
            "kind": "android-daily-summaries",
            "reportTypeWeights": weights(doc, gd + "report_type_weights", REPORT_TYPE),
            "infectiousnessWeights": weights(doc, gd + "infectiousness_weights", INFECTIOUSNESS),
            "attenuationBucketThresholdDb": member(doc, gd + "attenuation_bucket_threshold_db", "nums", 3),
            "attenuationBucketWeights": member(doc, gd + "attenuation_bucket_weights", "nums", 4),
            "daysSinceExposureThreshold": member(doc, gd + "days_since_exposure_threshold", "num"),
            "minimumWindowScore": member(doc, gd + "minimum_window_score", "num"),
        },
        "ios": dict(
            {"kind": "ios-v2", "attenuationDurationThresholds": member(doc, a2 + "attenuation_duration_thresholds", "nums", 3)},
            **{
                camel: member(doc, a2 + snake, "num")
                for camel, snake in [
                    ("immediateDurationWeight", "immediate_duration_weight"),
                    ("nearDurationWeight", "near_duration_weight"),
                    ("mediumDurationWeight", "medium_duration_weight"),
                    ("otherDurationWeight", "other_duration_weight"),
                    ("infectiousnessStandardWeight", "infectiousness_standard_weight"),
                    ("infectiousnessHighWeight", "infectiousness_high_weight"),
                    ("reportTypeConfirmedTestWeight", "report_type_confirmed_test_weight"),
                    ("reportTypeConfirmedClinicalDiagnosisWeight", "report_type_confirmed_clinical_diagnosis_weight"),
                    ("reportTypeSelfReportedWeight", "report_type_self_reported_weight"),
                    ("reportTypeRecursiveWeight", "report_type_recursive_weight"),
                    ("daysSinceLastExposureThreshold", "DaysSinceLastExposureThreshold"),
                ]
            }
        ),
    }


RISK_MEMBERS = [
    ("ScoreSum", "DailySummary_DaySummary_ScoreSum"),
    ("WeightedDurationAverage", "DailySummary_DaySummary_WeightedDurationAverage"),
    ("SecondsSinceLastScanSum", "ExposureWindow_ScanInstance_SecondsSinceLastScanSum"),
    ("TypicalAttenuationDb_Max", "ExposureWindow_ScanInstance_TypicalAttenuationDb_Max"),
    ("TypicalAttenuationDb_Min", "ExposureWindow_ScanInstance_TypicalAttenuationDb_Min"),
]
OPERATORS = {
    "NOP": lambda x, v: True,
    "=": lambda x, v: x == v,
    ">": lambda x, v: x > v,
    ">=": lambda x, v: x >= v,
    "<": lambda x, v: x < v,
    "<=": lambda x, v: x <= v,
}


def parse_risk(doc):
    """risk_calculation_configuration.json, format_version 1."""
    if member(doc, "format_version", "num") != 1:
        raise ConfigError("format_version", "unsupported format_version (expected 1)")
    out = {}
    for short, name in RISK_MEMBERS:
        op = member(doc, name + ".op", "str")
        if op not in OPERATORS:
            raise ConfigError(name + ".op", "unknown operator %s" % op)
        out[short] = (op, member(doc, name + ".value", "num"))
    return out


def parse_xamarin(doc):
    """Configration.json (Xamarin, PascalCase): one v1 configuration for both platforms."""
    minimum = member(doc, "MinimumRiskScore", "num")
    c = {
        "minimumRiskScore": minimum,
        "attenuationScores": member(doc, "AttenuationScores", "nums", 8),
        "daysSinceLastExposureScores": member(doc, "DaysSinceLastExposureScores", "nums", 8),
        "durationScores": member(doc, "DurationScores", "nums", 8),
        "transmissionRiskScores": member(doc, "TransmissionRiskScores", "nums", 8),
        "durationAtAttenuationThresholds": member(doc, "DurationAtAttenuationThresholds", "nums", 2),
        "minimumRiskScoreFullRange": minimum,
    }
    return {"v1": {"android": c, "ios": c}}


def load_document(server, url, parse):
    """The served document parsed, or the compiled-in default with the reason (never silently)."""
    name = url.rsplit("/", 1)[-1]
    status, body = http(server, "GET", url)
    why = None
    if status != 200:
        why = "download failed: HTTP %s" % status
    else:
        try:
            return parse(json.loads(body.decode("utf-8-sig"))), {"url": url, "status": "served"}
        except ValueError as e:
            why = "parse error at member (document): not JSON (%s)" % e
        except ConfigError as e:
            why = "parse error at member %s: %s" % (e.member, e.reason)
    error = "%s, fell back to built-in default" % why
    return parse(DEFAULTS[name]), {"url": url, "status": "fallback", "error": error}


def source_line(documents):
    return "; ".join(
        d["url"] if d["status"] == "served" else "configuration %s: %s" % (d["url"].rsplit("/", 1)[-1], d["error"])
        for d in documents
    )


# ---------------------------------------------------------------- uploads


def b64(data):
    return base64.b64encode(data).decode("ascii")


def padding():
    return b64(secrets.token_bytes(int((1024 + secrets.randbelow(1024)) * 0.75)))


def jst_date(now, given):
    return given or datetime.datetime.fromtimestamp(now + 9 * 3600, datetime.timezone.utc).strftime("%Y-%m-%d")


def common_body(state, processing_number):
    platform = state["platform"]
    return {
        "regions": [state["server"]["region"]],
        "platform": platform,
        "deviceVerificationPayload": "simulated-safetynet-jws" if platform == "android" else "simulated-devicecheck-token",
        "appPackageName": "jp.go.mhlw.covid19radar",
        "verificationPayload": processing_number,
        "padding": padding(),
    }


def wire(k, trl=None):
    out = {"keyData": k["keyData"], "rollingStartIntervalNumber": k["rollingStartIntervalNumber"], "rollingPeriod": k["rollingPeriod"]}
    if trl is not None:
        out["transmissionRiskLevel"] = trl
    return out


def upload_v3(state, keys, p):
    """2.x: ~15 days of keys, onset/test date in JST, reportType 1, one idempotency_key per submit screen."""
    now = p["nowEpochSeconds"]
    sent = [k for k in keys if k["rollingStartIntervalNumber"] * 600 >= now - 15 * DAY]
    state["idempotency_key"] = state.get("idempotency_key") or str(uuid.uuid4())
    body = dict(
        common_body(state, p["processingNumber"]),
        hasSymptom=p.get("hasSymptom", True),
        onsetOfSymptomOrTestDate="%sT00:00:00.000+09:00" % jst_date(now, p.get("diagnosisDate")),
        keys=[
            {"keyData": k["keyData"], "rollingStartNumber": k["rollingStartIntervalNumber"], "rollingPeriod": k["rollingPeriod"], "reportType": 1}
            for k in sent
        ],
        idempotency_key=state["idempotency_key"],
    )
    return "v3/diagnosis", [wire(k) for k in sent], body, {}


def upload_v1(state, keys, p):
    """1.1.4: /register once for a userUuid, keys of the last 14 days, transmissionRisk = the OS key's TRL."""
    # Registered once per installation; every upload (and retry) carries the same userUuid.
    reg = state.get("registration")
    if reg is None:
        status, text = http(state["server"], "POST", api(state["server"], "register"))
        if status != 200:
            raise RegisterFailed(status)
        reg = state["registration"] = json.loads(text)
    now = p["nowEpochSeconds"]
    sent = [k for k in keys if k["rollingStartIntervalNumber"] * 600 >= now - 14 * DAY]
    trls = [k.get("transmissionRiskLevel", 0) for k in sent]
    body = dict(
        common_body(state, p["processingNumber"]),
        userUuid=reg["userUuid"],
        keys=[
            {"keyData": k["keyData"], "rollingStartNumber": k["rollingStartIntervalNumber"], "rollingPeriod": k["rollingPeriod"], "transmissionRisk": t}
            for k, t in zip(sent, trls)
        ],
    )
    headers = {"authorization": "Bearer " + reg["secret"]} if reg.get("secret") else {}
    return "diagnosis", [wire(k, t) for k, t in zip(sent, trls)], body, headers


class RegisterFailed(Exception):
    def __init__(self, status):
        super().__init__("register: HTTP %s" % status)
        self.status = status


def message_for(status):
    """What COCOA tells the user (cocoa.md §1.3)."""
    if status is None or status >= 500:
        return "cannot connect to registration center"
    return {200: "registered", 204: "registered", 406: "processing number incorrect or expired",
            400: "problem with the contact record data", 403: "overseas error"}.get(status, "unexpected status %s" % status)


def outcome_for(status):
    """COCOA's submission outcomes; statuses it does not name by HTTP family."""
    if status in (200, 204):
        return "accepted"
    if status in (400, 403, 406):
        return "rejected"
    if status is None or status in (500, 503):
        return "retryable"
    if 200 <= status < 300:
        return "accepted"
    return "rejected" if 400 <= status < 500 else "retryable"


# ---------------------------------------------------------------- decisions


def decide_v1(state, answer, config, minimum_from):
    """Highest score (Android maximumRiskScore / iOS maximumRiskScoreFullRange) against the minimum."""
    platform = state["platform"]
    minimum = config["v1"][minimum_from or platform]["minimumRiskScore"]
    summary = answer["summary"]
    high = summary["maximumRiskScore"] if platform == "android" else summary["maximumRiskScoreFullRange"]
    item_score = "totalRiskScore" if platform == "android" else "totalRiskScoreFullRange"
    items = answer["informations"]
    gate = high >= minimum
    stored = [i for i in items if not state["build"]["per_item_filter"] or i[item_score] >= minimum] if gate else []
    explanation = "highest score %s %s %s; item scores [%s] → %d stored" % (
        high, ">=" if gate else "<", minimum, ",".join(str(i[item_score]) for i in items) or "none", len(stored))
    return {"value": high, "passed": gate and len(stored) > 0, "explanation": explanation, "stored": stored}


def decide_v2(answer, risk, now):
    """Each day of the last 15 with its windows: High when every non-NOP condition holds (cocoa.md §4.2)."""
    since = (now - 15 * DAY) * 1000
    days = []
    for s in answer["dailySummaries"]:
        if s["dateMillisSinceEpoch"] < since:
            continue
        scans = [i for w in answer["exposureWindows"] if w["dateMillisSinceEpoch"] == s["dateMillisSinceEpoch"] for i in w["scanInstances"]]
        seconds = sum(i["secondsSinceLastScan"] for i in scans)
        typical = [i["typicalAttenuationDb"] for i in scans]
        values = {
            "ScoreSum": s["daySummary"]["scoreSum"],
            "WeightedDurationAverage": s["daySummary"]["weightedDurationSum"] / seconds if seconds > 0 else 0,
            "SecondsSinceLastScanSum": seconds,
            "TypicalAttenuationDb_Max": max(typical) if typical else 0,
            "TypicalAttenuationDb_Min": min(typical) if typical else 0,
        }
        active = [(m, op, v) for m, (op, v) in risk.items() if op != "NOP"]
        high = bool(active) and all(OPERATORS[op](values[m], v) for m, op, v in active)
        date = datetime.datetime.fromtimestamp(s["dateMillisSinceEpoch"] / 1000, datetime.timezone.utc).strftime("%Y-%m-%d")
        days.append({"date": date, "scoreSum": values["ScoreSum"], "seconds": seconds, "high": high})
    best = None
    for d in days:
        if best is None or d["scoreSum"] > best["scoreSum"]:
            best = d
    high_days = [d for d in days if d["high"]]
    explanation = ("best day %s: ScoreSum %s, %s s → %d high-risk day(s)" % (best["date"], best["scoreSum"], best["seconds"], len(high_days))
                   if best else "no daily summary → no high-risk day")
    return {"value": best["scoreSum"] if best else 0, "passed": bool(high_days), "explanation": explanation, "stored": high_days}


# ---------------------------------------------------------------- builds (data: which mechanisms)

BUILDS = {
    "2.x": {
        "enApi": 2,
        "traits": ["infectious-period-keys-only", "downloads-exposure-configuration", "retries-failed-batches"],
        "documents": [("exposure_configuration/configuration.json", parse_chino),
                      ("exposure_configuration/risk_calculation_configuration.json", parse_risk)],
        "upload": upload_v3,
        "save_only_after_success": True,
        "per_item_filter": True,
        "minimum_from": "android",  # 2.x legacy v1: GoogleExposureConfig.MinimumRiskScore on both platforms
    },
    "1.1.4": {
        "enApi": 1,
        "traits": ["downloads-exposure-configuration"],
        "documents": [("Configration.json", parse_xamarin)],
        "upload": upload_v1,
        "save_only_after_success": False,
        "per_item_filter": False,
        "minimum_from": None,
    },
}


class App:
    def __init__(self, build_name):
        self.name = build_name
        self.build = BUILDS[build_name]
        self.phones = {}
        self.rpc = Rpc({
            "initialize": self.initialize,
            "phone/initialize": self.phone_initialize,
            "user/submitDiagnosis": self.submit,
            "background/detectExposures": self.detect,
            "phone/shutdown": self.phone_shutdown,
            "shutdown": lambda p: {},
        })

    def log(self, phone, message):
        self.rpc.notify("app/log", {"phone": phone, "level": "info", "message": message})

    def initialize(self, p):
        if str(p["protocolVersion"]).split(".")[0] != PROTOCOL_VERSION.split(".")[0]:
            raise ValueError("protocol %s not supported (this app speaks %s)" % (p["protocolVersion"], PROTOCOL_VERSION))
        return {"protocolVersion": PROTOCOL_VERSION, "app": {"name": "cocoa-%s (python)" % self.name, "version": self.name},
                "enApi": self.build["enApi"], "traits": self.build["traits"]}

    def phone_initialize(self, p):
        self.phones[p["phone"]] = {
            "platform": p["platform"], "offered": p["enApiOffered"], "server": p["server"], "build": self.build,
            "processed": dict(p.get("processedUpTo") or {}), "exposures": [], "idempotency_key": None,
        }
        return {}

    def phone_shutdown(self, p):
        self.phones.pop(p["phone"], None)
        return {}

    def submit(self, p):
        state = self.phones[p["phone"]]
        keys = self.rpc.request("en/getTekHistory", {"phone": p["phone"]})["keys"]
        try:
            endpoint, sent, body, headers = self.build["upload"](state, keys, p)
        except RegisterFailed as e:
            return {"endpoint": "register", "httpStatus": e.status, "submittedKeys": [], "message": message_for(e.status),
                    "outcome": outcome_for(e.status), "error": str(e)}
        status, text = http(state["server"], "PUT", api(state["server"], endpoint), body, headers)
        result = {"endpoint": endpoint, "httpStatus": status, "submittedKeys": sent,
                  "message": message_for(status), "outcome": outcome_for(status)}
        if status in (200, 204):
            state["idempotency_key"] = None  # a new submit screen after an accepted one
        else:
            result["error"] = "HTTP %s: %s" % (status, text[:200].decode("utf-8", "replace")) if status else "no answer"
        return result

    def detect(self, p):
        phone, now = p["phone"], p["nowEpochSeconds"]
        state = self.phones[phone]
        server, platform = state["server"], state["platform"]
        base_url = cdn(server, server["blobContainer"] + "/")
        config, documents = {}, []
        for path, parse in self.build["documents"]:
            value, document = load_document(server, base_url + path, parse)
            config.update(value if parse is not parse_risk else {"risk": value})
            documents.append(document)
        mode = "v2" if self.build["enApi"] == 2 and state["offered"] == 2 else "v1"
        threshold = config["risk"]["ScoreSum"][1] if mode == "v2" else config["v1"][platform]["minimumRiskScore"]
        result = {"configuration": {"documents": documents, "source": source_line(documents)}, "mode": mode,
                  "threshold": threshold, "exposureCount": len(state["exposures"])}

        # list.json, then every entry created after the last processed one (cocoa.md §1.5).
        region = server["region"]
        last = state["processed"].get(region, 0)
        list_url = base_url + region + "/list.json"
        status, text = http(server, "GET", list_url)
        if status != 200:
            return dict(result, download={"listEntries": 0, "files": [], "error": "GET %s: HTTP %s" % (list_url, status)}, reason="download failed")
        entries = json.loads(text)
        fresh = [e for e in entries if e["created"] > last]
        files = []
        for e in fresh:
            status, data = http(server, "GET", e["url"])
            if status != 200:
                return dict(result, download={"listEntries": 0, "files": [], "error": "GET %s: HTTP %s" % (e["url"], status)}, reason="download failed")
            files.append(b64(data))
        download = {"listEntries": len(entries), "files": [e["url"] for e in fresh]}
        newest = max([last] + [e["created"] for e in fresh])
        if not self.build["save_only_after_success"]:
            state["processed"][region] = newest

        if mode == "v2":
            configuration = {"v2": {"mapping": config["mapping"][platform], "configuration": config[platform]}}
        else:
            configuration = {"v1": config["v1"][platform]}
        answer = self.rpc.request("en/provideDiagnosisKeys", {"phone": phone, "files": files, "configuration": configuration})
        if answer["kind"] == "failed":
            return dict(result, download=download, reason="detection failed: " + answer["code"])
        if self.build["save_only_after_success"]:
            state["processed"][region] = newest

        if answer["kind"] == "v2":
            decision = decide_v2(answer, config["risk"], now)
        else:
            decision = decide_v1(state, answer, config, self.build["minimum_from"])
        state["exposures"].extend(decision["stored"])
        fresh_records = len(decision["stored"])
        if fresh_records > 0:
            self.rpc.notify("app/showNotification", {"phone": phone, "title": "Possible exposure",
                                                     "body": "%d exposure(s)" % len(state["exposures"])})
        reason = "%d new exposure record(s) stored" % fresh_records if fresh_records else "no new exposure record stored"
        return dict(result, download=download, decision=decision, exposureCount=len(state["exposures"]), reason=reason)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", choices=sorted(BUILDS), required=True)
    App(parser.parse_args().build).rpc.serve()


if __name__ == "__main__":
    sys.exit(main())
