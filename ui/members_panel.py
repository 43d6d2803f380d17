"""Medlemmar: the project's members and roles, managed by its ägare (team server only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from models.clock import local_time
from models.members import OWNER, ROLE_DESCRIPTIONS_SV, ROLES
from models.store import ProjectStore, StoreError
from ui import auth
from ui.safe import md


def render(store: ProjectStore) -> None:
    """The Medlemmar section: shown in team mode; editable only by the project's ägare."""
    if not auth.team_mode():
        return
    st.subheader("Medlemmar")
    flash = st.session_state.pop("members_flash", None)
    if flash:
        st.success(flash)
    rows = store.members()
    st.dataframe(pd.DataFrame({
        "e-post": [r["email"] for r in rows],
        "roll": [r["role"] for r in rows],
        "tillagd": [local_time(r["added_at"]) for r in rows],
        "av": [r["added_by"] or "" for r in rows],
    }), hide_index=True, width="stretch")
    st.caption(" · ".join(f"{role}: {ROLE_DESCRIPTIONS_SV[role]}" for role in ROLES))
    if not auth.may_manage_project(store.path):
        st.caption("Bara projektets ägare kan ändra medlemmarna.")
        return
    me = auth.signed_in_email()
    with st.form("members_add", clear_on_submit=True):
        c1, c2 = st.columns([3, 1])
        email = c1.text_input("E-postadress", key="members_email")
        role = c2.selectbox("Roll", ROLES, index=ROLES.index("analytiker"), key="members_role", placeholder="Välj")
        if st.form_submit_button("Lägg till eller byt roll", key="members_add_btn"):
            if email.strip().lower() == me and role != OWNER:
                st.error("Du kan inte ta bort din egen ägarroll; låt en annan ägare göra det.")
            else:
                _apply(lambda: store.add_member(email, role, me), f"{md(email.strip().lower())} är nu {role}.")
    others = [r["email"] for r in rows if r["email"] != me]
    if others:
        c1, c2 = st.columns([3, 1])
        who = c1.selectbox("Ta bort en medlem", others, key="members_remove_who", placeholder="Välj")
        if c2.button("Ta bort", key="members_remove_btn"):
            _apply(lambda: store.remove_member(who, me), f"{md(who)} är borttagen ur projektet.")


def _apply(action, message: str) -> None:
    try:
        action()
    except StoreError as exc:
        st.error(md(exc))
        return
    st.session_state["members_flash"] = message
    st.rerun()
