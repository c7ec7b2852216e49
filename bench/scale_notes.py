notes = {"method": "", "after": ""}
