def userinfo(claims, user):
    """What the provider says about a user: the claims Bridge maps accounts by."""
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["name"] = user.get_full_name()
    return claims
