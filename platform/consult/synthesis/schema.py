"""The JSON shape of GET /api/v1/events/{slug}/synthesis, for the OpenAPI document."""
from __future__ import annotations

S, I, N, B = {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"}
NULLABLE_N = {"type": ["number", "null"]}


def _obj(**props) -> dict:
    return {"type": "object", "properties": props}


def _list(items: dict) -> dict:
    return {"type": "array", "items": items}


TALLY = _obj(agree=I, disagree=I, neutral={"type": "integer", "description": "pass or abstain"}, discuss=I, seen=I,
             agree_share=NULLABLE_N)
ITEM = _obj(key={"type": "string", "description": "p<paragraph id> or a<amendment id>"},
            kind={"enum": ["paragraph", "amendment"]}, id=I, paragraph_id=I, number=S, document=S, title=S,
            rooms=_list(S), by_sector={"type": "object", "additionalProperties": TALLY}, total=TALLY,
            consensus={**NULLABLE_N, "description": "product over sectors of (agree + 1) / (seen + 2)"},
            divisiveness=_obj(strength={"type": "number", "description": "Cramér's V"}, chi2=N, df=I, p=N,
                              significant=B, agreeing=_list(S), disagreeing=_list(S)))
GROUPS = {"type": ["object", "null"], "properties": {
    "k": I, "silhouette": N, "on_map": I, "left_out": I,
    "groups": _list(_obj(name=S, size=I, sectors={"type": "object", "additionalProperties": I},
                         representative=_list(_obj(key=S, title=S, direction={"enum": ["agree", "disagree"]},
                                                   share=N, z=N)))),
    "points": _list(_obj(participant={"type": "string", "description": "pseudonym, P-000123"}, group=S, x=N, y=N))}}
THEME = _obj(id=I, label=S, size=I, rooms=_list(S), sectors={"type": "object", "additionalProperties": I},
             paragraph_ids=_list(I),
             representative=_list(_obj(key=S, text=S, room=S, sector=S, paragraph=S)),
             members=_list({"type": "string", "description": "c<comment id> or a<amendment id> (its rationale)"}))
SYNTHESIS = _obj(event=S, generated_at=S, sectors=_list(S), items=_list(ITEM), most_consensual=_list(S),
                 most_divisive=_list(S), groups=GROUPS, themes=_list(THEME), not_grouped=_list(S))
