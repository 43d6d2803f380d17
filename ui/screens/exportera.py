"""Exportera: download the coded excerpts in every export format, filtered by the current selection."""
from __future__ import annotations

import streamlit as st

from ui import adapters, cache, exports, shell, state
from ui.filters import TYPE_SV


def render() -> None:
    st.title("Exportera")
    store = shell.require_store()
    codes = cache.code_frame(store)
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    respondents = store.respondents()

    st.subheader("Urval")
    c1, c2 = st.columns(2)
    chosen_codes = c1.multiselect("Koder (tomt = alla)", list(codes["code_id"]), format_func=lambda c: labels.get(c, c),
                                  key="export_codes")
    by_id = {r.id: r for r in respondents}
    chosen_resp = c2.multiselect("Respondenter (tomt = alla)", list(by_id),
                                 format_func=lambda i: f"{by_id[i].name} ({TYPE_SV.get(by_id[i].type, '?')})",
                                 key="export_resp")
    c3, c4 = st.columns(2)
    include = c3.toggle("Ta med förslag som inte granskats", value=False, key="export_suggestions",
                        help="Av: bara godkända och manuella kodningar exporteras.")
    mask = c4.toggle("Maskera personuppgifter (e-post, telefon, personnummer)", value=False, key="export_mask")
    selection = exports.Selection(
        code_ids=chosen_codes or None, respondent_ids=chosen_resp or None,
        decisions=["suggested", "accepted", "manual"] if include else ["accepted", "manual"],
        include_suggestions=include, mask_pii=mask,
    )
    counted = cache.excerpts(store, decisions=tuple(selection.decisions))
    if chosen_codes:
        counted = counted[counted["code_id"].isin(chosen_codes)]
    if chosen_resp:
        counted = counted[counted["respondent_id"].isin(chosen_resp)]
    st.write(f"{len(counted)} kodade utdrag i urvalet.")

    st.subheader("Filer")
    name = state.slug(store.name)
    for fmt, (label, suffix, mime) in exports.FORMATS.items():
        with st.container(border=True):
            st.markdown(f"**{label}**")
            if not exports.formats()[fmt]:
                st.caption(f"{label}: {adapters.NOT_YET}.")
                continue
            key = f"export_ready_{fmt}"
            if st.button(f"Skapa {label}", key=f"export_make_{fmt}"):
                with st.spinner(f"Skapar {label} …"):
                    try:
                        st.session_state[key] = (store.data_version, repr(selection),
                                                 exports.export_bytes(store, fmt, selection))
                    except adapters.Unavailable as exc:
                        st.warning(str(exc))
                    except Exception as exc:  # noqa: BLE001 - show the problem, keep the page alive
                        st.error(f"Exporten misslyckades: {exc}")
            ready = st.session_state.get(key)
            if ready and ready[0] == store.data_version and ready[1] == repr(selection):
                st.download_button(f"Ladda ner {label}", ready[2], file_name=f"{name}.{suffix}", mime=mime,
                                   key=f"export_dl_{fmt}", type="primary")
