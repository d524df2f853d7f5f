//! `guardrail-loosened`: a `tenure.yaml` in a sub-folder sets a guardrail
//! looser than one above it. Not a policy code: it cannot be silenced.
//!
//! Why: guardrails belong to the security team (CODEOWNERS protects the root
//! `tenure.yaml`). Teams may add a `tenure.yaml` to their folder to hold
//! themselves to stricter limits, never to escape the shared ones. A looser
//! value is reported with both places and has no effect: the stricter one
//! above still applies. Looser means a longer maximum lifetime, a shorter
//! renew window, an issuer, audience, method, type, team or environment the
//! parent does not list, a higher permission ceiling, a lower severity, or
//! `mode: warn` under an enforcing root.
//!
//! Example: the root sets `maxLifetime: {default: 1y}` and
//! `teams/payments/tenure.yaml` sets `default: 2y`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};

pub(crate) const RULE: Rule = Rule {
    name: "guardrail_loosened",
    source: include_str!("guardrail_loosened.rs"),
    codes: &[Code::GuardrailLoosened],
    check: Check::Registry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(cx.scopes.loosened.iter().cloned());
}
