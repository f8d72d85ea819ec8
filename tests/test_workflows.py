"""Lint the GitHub configuration offline: workflows, Dependabot, issue forms, pre-commit, CODEOWNERS.

Three layers, all without network access or a GitHub token:

1. ``check-jsonschema`` with its vendored (built-in) schemas checks the shape of every file;
2. ``zizmor --offline`` audits the workflows for security problems and must report nothing;
3. structural assertions pin down the project's own rules (no ``pull_request_target``,
   SHA-pinned actions, empty top-level permissions, the daily schedule and its keepalive...).

The tools are run from the environment running the tests (derived from ``sys.executable``),
so the tests work in any virtual environment that installed ``requirements.txt``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOW_DIR = GITHUB / "workflows"
CI = WORKFLOW_DIR / "ci.yml"
PAGES = WORKFLOW_DIR / "pages.yml"
ISSUE_TO_PR = WORKFLOW_DIR / "issue-to-pr.yml"
WORKFLOWS = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
DEPENDABOT = GITHUB / "dependabot.yml"
ISSUE_TEMPLATES = GITHUB / "ISSUE_TEMPLATE"
ISSUE_FORMS = sorted(p for p in ISSUE_TEMPLATES.glob("*.yml") if p.name != "config.yml")
ISSUE_CONFIG = ISSUE_TEMPLATES / "config.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
CODEOWNERS = GITHUB / "CODEOWNERS"
PR_TEMPLATE = GITHUB / "pull_request_template.md"

SHA = re.compile(r"[0-9a-f]{40}")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+\.\d+\.\d+\s*$")
DAILY_CRON = "5 16 * * *"
TIMEOUT = 300


# --------------------------------------------------------------------------- helpers


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _workflow(path: Path) -> dict[str, Any]:
    data = _load(path)
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def _triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "workflow has no `on:` triggers"
    return on


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def _bin(name: str) -> str:
    """A console script installed next to the running interpreter (fallback: PATH)."""
    suffix = ".exe" if os.name == "nt" else ""
    candidate = Path(sys.executable).parent / f"{name}{suffix}"
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `pip install -r requirements.txt`")
    return found


def _offline_env(tmp_path: Path) -> dict[str, str]:
    """No token, no colour, caches in a throwaway directory (the tools must not need any)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN", "GH_HOST"}
    }
    env.update(NO_COLOR="1", XDG_CACHE_HOME=str(tmp_path / "cache"))
    return env


def _check_jsonschema(schema: str, files: list[Path], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--no-cache", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_offline_env(tmp_path),
        timeout=TIMEOUT,
    )


def _zizmor(inputs: list[Path], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # --offline: no online audits and no network at all; --no-config/--no-ignores: nothing can
    # be silenced by a config file or an inline `# zizmor: ignore[...]` comment;
    # --persona pedantic: code smells count too, not only likely vulnerabilities.
    return subprocess.run(
        [
            _bin("zizmor"),
            "--offline",
            "--no-config",
            "--no-ignores",
            "--persona",
            "pedantic",
            "--format",
            "json",
            "--no-progress",
            "--color",
            "never",
            "--cache-dir",
            str(tmp_path / "zizmor-cache"),
            *map(str, inputs),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_offline_env(tmp_path),
        timeout=TIMEOUT,
    )


# --------------------------------------------------------------------------- 1. schemas


def test_expected_files_exist() -> None:
    for path in (CI, PAGES, ISSUE_TO_PR, DEPENDABOT, ISSUE_CONFIG, PRE_COMMIT, CODEOWNERS, PR_TEMPLATE):
        assert path.is_file(), f"missing {path.relative_to(ROOT)}"
    assert {p.name for p in ISSUE_FORMS} == {
        "report-error.yml",
        "propose-record.yml",
        *(f"import-{kind}.yml" for kind in ("assessment", "evaluation", "approval", "acceptance")),
    }


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.dependabot", [DEPENDABOT]),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [ISSUE_CONFIG]),
    ],
    ids=["workflows", "dependabot", "issue-forms", "issue-config"],
)
@pytest.mark.slow
def test_check_jsonschema_reports_nothing(schema: str, files: list[Path], tmp_path: Path) -> None:
    assert files, f"no files to check against {schema}"
    result = _check_jsonschema(schema, files, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert output.strip() == "ok -- validation done", output


@pytest.mark.slow
def test_check_jsonschema_really_checks(tmp_path: Path) -> None:
    """Guard against a silently passing linter: a workflow without `jobs` must be rejected."""
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: push\n", encoding="utf-8")
    result = _check_jsonschema("vendor.github-workflows", [broken], tmp_path)
    assert result.returncode != 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- 2. zizmor


def test_zizmor_reports_no_findings(tmp_path: Path) -> None:
    result = _zizmor([WORKFLOW_DIR, DEPENDABOT, PRE_COMMIT], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert findings == [], json.dumps(findings, ensure_ascii=False, indent=2)
    for workflow in WORKFLOWS:  # every workflow was really audited
        assert f"completed {workflow.relative_to(ROOT)}" in result.stderr or workflow.name in result.stderr


def test_zizmor_really_audits_offline(tmp_path: Path) -> None:
    """The same invocation finds the classic mistakes in a deliberately bad workflow."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\n"
        "on: pull_request_target\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    result = _zizmor([bad], tmp_path)
    assert result.returncode != 0
    idents = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"} <= idents


# --------------------------------------------------------------------------- 3. structure


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target(path: Path) -> None:
    code = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)
    assert "pull_request_target" not in _triggers(_workflow(path))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_pinned_to_a_commit_sha_with_version_comment(path: Path) -> None:
    lines = [m for line in path.read_text(encoding="utf-8").splitlines() if (m := USES_LINE.match(line))]
    from_yaml = [step["uses"] for _, step in _steps(_workflow(path)) if "uses" in step]
    assert [m["ref"] for m in lines] == from_yaml, "every `uses:` must sit on its own line"
    for m in lines:
        ref = m["ref"]
        if ref.startswith("./"):
            continue  # a local action is reviewed with the pull request itself
        action, _, version = ref.partition("@")
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?", action), ref
        assert SHA.fullmatch(version), f"{ref}: pin by full 40-hex commit SHA"
        assert VERSION_COMMENT.match(m["rest"]), f"{ref}: add a `# vX.Y.Z` comment"


def test_one_sha_per_action_across_workflows() -> None:
    seen: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if (m := USES_LINE.match(line)) and not m["ref"].startswith("./"):
                action, _, version = m["ref"].partition("@")
                seen.setdefault(action, set()).add(f"{version}{m['rest'].strip()}")
    mixed = {action: refs for action, refs in seen.items() if len(refs) > 1}
    assert not mixed, f"same action pinned differently: {mixed}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_empty_at_top_and_explicit_per_job(path: Path) -> None:
    workflow = _workflow(path)
    assert "permissions" in workflow and workflow["permissions"] == {}, "top-level `permissions: {}` is required"
    allowed_writes = {
        ("pages.yml", "deploy"): {"pages", "id-token"},
        ("pages.yml", "keepalive"): {"actions"},
        ("issue-to-pr.yml", "publish"): {"contents", "pull-requests", "issues"},
    }
    for job_id, job in workflow["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"{job_id}: declare permissions per job"
        writes = {scope for scope, level in perms.items() if level == "write"}
        assert writes == allowed_writes.get((path.name, job_id), set()), (
            f"{job_id}: unexpected write permissions {writes}"
        )
        assert set(perms.values()) <= {"read", "write", "none"}, job_id


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(path: Path) -> None:
    checkouts = [
        step for _, step in _steps(_workflow(path)) if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expressions_inside_run(path: Path) -> None:
    for job_id, step in _steps(_workflow(path)):
        assert "${{" not in str(step.get("run", "")), (
            f"{job_id}/{step.get('name')}: pass values through `env:`, not `${{{{ }}}}` in run"
        )


def test_ci_triggers_steps_and_concurrency() -> None:
    workflow = _workflow(CI)
    assert set(_triggers(workflow)) == {"pull_request", "push"}
    assert "cancel-in-progress" in workflow["concurrency"]
    assert "pull_request" in str(workflow["concurrency"]["cancel-in-progress"])
    runs = [str(step.get("run", "")) for _, step in _steps(workflow)]
    joined = "\n".join(runs)
    for command in (
        "python -m pip install",
        "python -m generator validate --format github",
        "python -m generator validate --format text",
        "sudo apt-get install -y fonts-noto-cjk",
        "python -m pytest",
        "python -m generator build --site",
        'python -m generator diff --format markdown "origin/${BASE_REF}" HEAD',
        "python -m generator fmt --check",
    ):
        assert command in joined, f"ci.yml lacks `{command}`"
    test_step = next(step for _, step in _steps(workflow) if step.get("run") == "python -m pytest")
    assert test_step["env"]["CHROMIUM_PATH"] == "/usr/bin/google-chrome"  # not Ubuntu's snap chromium
    diff_step = next(step for _, step in _steps(workflow) if "generator diff" in str(step.get("run")))
    assert "pull_request" in diff_step["if"]
    assert diff_step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert "$GITHUB_STEP_SUMMARY" in diff_step["run"]
    for _, step in _steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["fetch-depth"] == 0  # the diff needs the base branch's history
        if str(step.get("uses", "")).startswith("actions/setup-python@"):
            assert step["with"]["python-version"] == "3.11"
            assert step["with"]["cache"] == "pip"
            assert step["with"]["cache-dependency-path"] == "requirements.txt"


def test_pages_schedule_is_just_after_midnight_in_shanghai() -> None:
    workflow = _workflow(PAGES)
    triggers = _triggers(workflow)
    assert {"push", "workflow_dispatch", "schedule"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"]
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons == [DAILY_CRON]
    minute, hour = (int(x) for x in DAILY_CRON.split()[:2])
    local = datetime(2026, 1, 1, hour, minute, tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    assert (local.hour, local.minute) == (0, 5)


def test_pages_build_deploy_and_no_cache() -> None:
    workflow = _workflow(PAGES)
    text = PAGES.read_text(encoding="utf-8")
    assert "actions/cache" not in text
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    for step in build["steps"]:
        assert "cache" not in step.get("with", {}), "no caching in the publishing workflow"
    runs = "\n".join(str(step.get("run", "")) for step in build["steps"])
    assert 'python -m generator build --site --as-of "$(TZ=Asia/Shanghai date +%F)"' in runs
    upload = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"]
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_pages_keepalive_reenables_this_very_workflow() -> None:
    """The schedule must not silently stop after 60 days without repository activity."""
    job = _workflow(PAGES)["jobs"]["keepalive"]
    assert job["if"] == "github.event_name == 'schedule'"
    assert job["permissions"] == {"actions": "write"}
    assert "needs" not in job, "keepalive must run even when the build fails"
    assert not any("uses" in step for step in job["steps"]), "no third-party action, no checkout"
    run = "\n".join(step["run"] for step in job["steps"])
    # The file name in the endpoint must be this workflow's own: a rename must update it.
    assert re.search(
        rf"gh api --method PUT \"repos/\$\{{GITHUB_REPOSITORY\}}/actions/workflows/{re.escape(PAGES.name)}/enable\"",
        run,
    ), run
    assert job["steps"][0]["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_dependabot_weekly_grouped() -> None:
    config = _load(DEPENDABOT)
    ecosystems = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(ecosystems) == {"github-actions", "pip"}
    for update in ecosystems.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        assert update.get("groups"), "updates must be grouped"


def test_issue_forms_and_config() -> None:
    assert _load(ISSUE_CONFIG)["blank_issues_enabled"] is False
    names = {_load(form)["name"] for form in ISSUE_FORMS}
    assert {
        "报告记录错误",
        "提议新增记录",
        "导入年度考核结果",
        "导入三年评估结果",
        "导入批准建设名单",
        "导入验收结果",
    } <= names
    for form in ISSUE_FORMS:
        body = {item.get("id"): item for item in _load(form)["body"]}
        if form.name.startswith("import-"):  # a list: its document, date and the table itself
            for key in ("document_number", "date", "table"):
                assert body[key]["validations"]["required"] is True, (form.name, key)
        else:  # one record: which center, and the official source
            assert body["center"]["validations"]["required"] is True
            assert body["source"]["validations"]["required"] is True
        assert body["contact"]["validations"]["required"] is False
        assert "个人" in body["contact"]["attributes"]["description"]
        assert all(option["required"] for option in body["confirm"]["attributes"]["options"])


def test_every_issue_form_has_a_handler() -> None:
    from generator.issues.command import HANDLERS
    from generator.issues.forms import load_forms

    assert {form.purpose for form in load_forms()} == set(HANDLERS)


def test_pre_commit_runs_the_validator_and_the_format_check_on_registry_files() -> None:
    config = _load(PRE_COMMIT)
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    validate, fmt = repo["hooks"]
    assert validate["entry"] == "python -m generator validate"
    assert fmt["entry"] == "python -m generator fmt --check"
    for hook in (validate, fmt):
        assert hook["language"] == "system"
        assert hook["files"].startswith("^registry/")
        assert hook["pass_filenames"] is True


def test_codeowners() -> None:
    rules: dict[str, list[str]] = {}
    for line in CODEOWNERS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            pattern, *owners = line.split()
            assert owners, f"CODEOWNERS: no owner for {pattern}"
            assert all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", o) for o in owners), line
            rules[pattern] = owners
    assert rules["/registry/"] == ["@xinzhou-tic/bureau-reviewers"]
    assert rules["/schema/"] == ["@xinzhou-tic/maintainers"]
    assert rules["/generator/"] == ["@xinzhou-tic/maintainers"]


def test_pull_request_template_checklist() -> None:
    text = PR_TEMPLATE.read_text(encoding="utf-8")
    for needle in (
        "变更内容",
        "文号或网址",
        "第二十条",
        "忻州市××技术创新中心",
        "身份证号",
        "手机号码",
        "出生日期",
        "时间先后",
        "变更摘要",
        "- [ ]",
    ):
        assert needle in text, needle


# --------------------------------------------------------------------------- 4. issue to pull request


def test_issue_to_pr_runs_only_on_the_maintainers_label() -> None:
    workflow = _workflow(ISSUE_TO_PR)
    assert _triggers(workflow) == {"issues": {"types": ["labeled"]}}
    jobs = workflow["jobs"]
    assert list(jobs) == ["authorize", "prepare", "publish"]
    authorize = jobs["authorize"]
    assert authorize["if"] == "github.event.label.name == '生成拉取请求'"
    assert authorize["permissions"] == {}
    [check] = authorize["steps"]
    assert check["env"]["LABELER"] == "${{ github.event.sender.login }}"  # who applied the label
    assert "collaborators/${LABELER}/permission" in check["run"]
    assert "admin|maintain|write)" in check["run"] and "exit 1" in check["run"]
    assert jobs["prepare"]["needs"] == "authorize" and jobs["publish"]["needs"] == "prepare"


def test_issue_to_pr_keeps_issue_text_out_of_every_shell() -> None:
    """The issue's text reaches the generator only through the event file, and the token that
    runs the generator on it can only read."""
    text = ISSUE_TO_PR.read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for expression in re.findall(r"\$\{\{(.*?)\}\}", code):
        assert not re.search(r"issue\.(body|title)|comment\.body|label\.description", expression), expression
    workflow = _workflow(ISSUE_TO_PR)
    prepare = workflow["jobs"]["prepare"]
    assert prepare["permissions"] == {"contents": "read"}
    run = "\n".join(str(step.get("run", "")) for step in prepare["steps"])
    assert 'python -m generator from-issue "$GITHUB_EVENT_PATH"' in run
    for step in prepare["steps"]:
        assert "cache" not in step.get("with", {}), "no cache in a job that reads untrusted input"


def test_issue_to_pr_publishes_only_registry_changes() -> None:
    publish = _workflow(ISSUE_TO_PR)["jobs"]["publish"]
    uses = [step["uses"] for step in publish["steps"] if "uses" in step]
    assert [u.partition("@")[0] for u in uses] == ["actions/checkout"]  # no third-party code with a write token
    apply, comment = (step for step in publish["steps"] if "run" in step)
    assert apply["if"] == "needs.prepare.outputs.ok == 'true'"
    assert "grep -v '^registry/'" in apply["run"] and "exit 1" in apply["run"]
    assert apply["run"].index("git apply --numstat") < apply["run"].index("git apply --index")
    assert "--body-file" in apply["run"] and "--body-file" in comment["run"]
    assert "--remove-label" in comment["run"]
