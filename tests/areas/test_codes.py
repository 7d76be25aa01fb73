from wijkbalans.areas import codes


def test_levels_and_parents():
    assert codes.level_of("BU00140402") == "buurt"
    assert codes.level_of("WK001404") == "wijk"
    assert codes.level_of("GM0014") == "gemeente"
    assert codes.level_of("NL00") == "land"
    assert codes.level_of("BU0014040") is None
    assert codes.parent_of("BU00140402") == "WK001404"
    assert codes.parent_of("WK001404") == "GM0014"
    assert codes.parent_of("GM0014") == "NL00"
    assert codes.normalise(" bu00140000  ") == "BU00140000"
