"""The OpenAPI schema tells the truth (issue 11, STYLE.md "API schemas"): three request
classes were all called `DecisionIn`, the schema kept one, and two operations were documented
with another operation's body. Now every component name is one class, every operation's
documented body is the class the server validates, and the errors it can answer are listed."""

import pydantic
import pytest

from attestation.api.types import IS_TEXT, SAYS_SOMETHING
from attestation.api.urls import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    """As a client reads it (status codes as strings)."""
    return client.get("/api/v1/openapi.json").json()


def operations():
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield "/api/v1/" + path.lstrip("/"), method.lower(), operation


def body_classes(operation) -> list[type[pydantic.BaseModel]]:
    """The Schema classes the server validates a JSON body with."""
    found = []
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) != "body":
            continue
        for field in model.model_fields.values():
            if isinstance(field.annotation, type) and issubclass(
                field.annotation, pydantic.BaseModel
            ):
                found.append(field.annotation)
    return found


def models_in(annotation, seen: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            models_in(field.annotation, seen)
    for argument in getattr(annotation, "__args__", ()) or ():
        models_in(argument, seen)


def test_every_schema_name_is_one_class():
    seen: set = set()
    for _path, _method, operation in operations():
        for model in body_classes(operation):
            models_in(model, seen)
        for response in operation.response_models.values():
            if response is not None and hasattr(response, "model_fields"):
                models_in(response.model_fields["response"].annotation, seen)
    names: dict[str, set] = {}
    for model in seen:
        if model.__name__ != "NinjaResponseSchema":
            names.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    twice = {name: sorted(where) for name, where in names.items() if len(where) > 1}
    assert not twice, twice
    assert "DecisionIn" not in names


def test_every_documented_body_is_the_one_the_server_validates(schema):
    components = schema["components"]["schemas"]
    checked = 0
    for path, method, operation in operations():
        for model in body_classes(operation):
            documented = schema["paths"][path][method]["requestBody"]["content"]
            ref = documented["application/json"]["schema"]["$ref"]
            name = ref.rsplit("/", 1)[-1]
            assert name == model.__name__, (method, path, name, model.__name__)
            actual = model.model_json_schema()
            assert components[name]["properties"].keys() == actual["properties"].keys(), path
            assert set(components[name].get("required", [])) == set(actual.get("required", []))
            checked += 1
    assert checked >= 18  # every JSON body of the API, not a handful


@pytest.mark.parametrize(
    ("path", "method", "model"),
    [
        ("/api/v1/incidents/{incident_id}/decision", "post", "IncidentDecisionIn"),
        ("/api/v1/interruptions/{interruption_id}/decision", "post", "InterruptionDecisionIn"),
        ("/api/v1/applications/{application_id}/decision", "post", "ApplicationDecisionIn"),
    ],
)
def test_the_three_decisions_have_their_own_bodies(schema, path, method, model):
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == f"#/components/schemas/{model}"


def test_every_text_field_says_what_is_accepted(schema):
    """No NUL (PostgreSQL cannot store it), a length limit, and `minLength` with a pattern
    where a blank value is refused."""
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("In"):
            continue
        for field, prop in component.get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            for option in options:
                if (
                    option.get("type") == "string"
                    and "format" not in option
                    and "enum" not in option
                ):
                    assert option.get("pattern") in (IS_TEXT, SAYS_SOMETHING), (name, field)
                    assert option.get("maxLength"), (name, field)
    reason = schema["components"]["schemas"]["ReasonIn"]["properties"]["reason"]
    assert reason["minLength"] == 1
    assert reason["pattern"] == SAYS_SOMETHING


def test_every_operation_documents_its_errors(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            statuses = set(operation["responses"])
            assert {"404", "422"} <= statuses, (method, path, statuses)
            if method != "get":
                assert {"400", "409", "413"} <= statuses, (method, path, statuses)
            if operation.get("security"):
                assert "401" in statuses, (method, path)
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    content = response["content"]["application/json"]["schema"]
                    assert (
                        content["$ref"].endswith("/ErrorOut")
                        or "allOf" in content
                        or (content["$ref"].endswith("Out"))
                    ), (method, path, status)


@pytest.mark.parametrize(
    ("suffix", "media"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_protocol_downloads_document_their_file(schema, suffix, media):
    operation = schema["paths"][f"/api/v1/sittings/{{sitting_id}}/protocol.{suffix}"]["get"]
    assert media in operation["responses"]["200"]["content"]
    assert any(p["name"] == "lang" for p in operation["parameters"])


def test_upload_file_is_required_in_the_schema(schema):
    body = schema["paths"]["/api/v1/examinees/{examinee_id}/pages"]["post"]["requestBody"]
    assert "file" in body["content"]["multipart/form-data"]["schema"]["required"]


def test_the_served_schema_is_the_generated_one(schema):
    generated = api.get_openapi_schema()
    assert schema["components"]["schemas"].keys() == generated["components"]["schemas"].keys()


def test_a_body_with_required_fields_is_itself_required(schema):
    """Otherwise a client may leave the body out, and the server refuses what the schema
    allowed (`POST /applications` without a body)."""
    components = schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody")
            if not body:
                continue
            for content in body["content"].values():
                documented = content["schema"]
                if "$ref" in documented:
                    documented = components[documented["$ref"].rsplit("/", 1)[-1]]
                if documented.get("required"):
                    assert body.get("required") is True, (method, path)
