import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.registry.validators import validate_gtin, validate_licence_number, validate_uscc


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; Chinese is the site's default language."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "code", ["91310115MA1H7U4C0A", "913101121322485622", "９１３１０１１５ＭＡ１Ｈ７Ｕ４Ｃ０Ａ"]
)
def test_valid_credit_codes(code):
    validate_uscc(code)


@pytest.mark.parametrize("code", ["91310115MA1H7U4C0B", "9131011", "", "91310115MA1H7U4C0A1"])
def test_invalid_credit_codes_name_the_check_character(code):
    with pytest.raises(ValidationError, match="check character") as raised:
        validate_uscc(code)
    assert raised.value.code == "invalid_uscc"


@pytest.mark.parametrize("gtin", ["6901234567892", "12345670", "036000291452", "10012345678902"])
def test_valid_gtins(gtin):
    validate_gtin(gtin)


@pytest.mark.parametrize("gtin", ["6901234567893", "690123456789", "69012345678A2", "123"])
def test_invalid_gtins(gtin):
    with pytest.raises(ValidationError, match="check digit"):
        validate_gtin(gtin)


@pytest.mark.parametrize(
    "number", ["XK13-014-00001", "(沪)XK16-204-00085", "（沪）XK16-204-00085", "SC10831011500123"]
)
def test_valid_licence_numbers(number):
    validate_licence_number(number)


@pytest.mark.parametrize("number", ["XK13-14-00001", "XK1301400001", "QS310001", "SC123"])
def test_invalid_licence_numbers(number):
    with pytest.raises(ValidationError, match="XK13-014-00001"):
        validate_licence_number(number)
